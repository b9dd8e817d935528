using System.Diagnostics;
using System.Net.Http.Json;
using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>
/// A real Ethereum chain on loopback (ganache from contracts/node_modules, installed by ./test.sh)
/// with our contracts compiled by solc-js and deployed: the GBP token, the ERC-3156 lender (5 bps,
/// a 100,000 GBP float) and the settlement borrower; the futures venue's account holds GBP and has
/// approved the borrower.
/// </summary>
public sealed class LocalChain : IAsyncLifetime
{
    /// <summary>Ganache's first deterministic account: the desk (deployer, signer, and here the futures venue).</summary>
    public const string DeskKey = "0x4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";
    public const string PowerVenue = "0x00000000000000000000000000000000000dEaD1";

    private Process? _ganache;

    public string Rpc { get; private set; } = "";
    public string Desk { get; private set; } = "";
    public string Token { get; private set; } = "";
    public string Lender { get; private set; } = "";
    public string Borrower { get; private set; } = "";
    public Web3 Web3 { get; private set; } = null!;

    private static string Contracts => RepoPaths.File("contracts");

    public async Task InitializeAsync()
    {
        var ganache = Path.Combine(Contracts, "node_modules", "ganache", "dist", "node", "cli.js");
        if (!File.Exists(ganache)) throw new InvalidOperationException("contracts/node_modules is missing: ./test.sh runs npm ci in contracts/");
        var built = new FileInfo(Path.Combine(Contracts, "build", "SettlementBorrower_sol_SettlementBorrower.bin"));
        if (!built.Exists || Directory.GetFiles(Contracts, "*.sol").Any(f => File.GetLastWriteTimeUtc(f) > built.LastWriteTimeUtc))
            await Run("node", "build.mjs");
        var port = DeskProcessPort();
        Rpc = $"http://127.0.0.1:{port}";
        _ganache = Process.Start(new ProcessStartInfo("node", $"{ganache} --server.host 127.0.0.1 --server.port {port} --wallet.deterministic --chain.chainId 1337 --logging.quiet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Contracts,
        })!;
        _ganache.OutputDataReceived += (_, _) => { };
        _ganache.ErrorDataReceived += (_, _) => { };
        _ganache.BeginOutputReadLine();
        _ganache.BeginErrorReadLine();
        await WaitForRpc();

        var account = new Account(DeskKey, 1337);
        Desk = account.Address;
        Web3 = new Web3(account, Rpc);
        Token = await Deploy("GbpToken_sol_GbpToken");
        Lender = await Deploy("FlashLender_sol_FlashLender", Token, new BigInteger(5));
        Borrower = await Deploy("SettlementBorrower_sol_SettlementBorrower", Lender);
        await Send(Token, "GbpToken_sol_GbpToken", "mint", Lender, new BigInteger(10_000_000)); // 100,000.00 GBP of float
        await Send(Token, "GbpToken_sol_GbpToken", "mint", Desk, new BigInteger(100_000_000));
        await ApproveBorrower(new BigInteger(100_000_000));
    }

    /// <summary>How much the futures venue lets the borrower take (0: every settlement reverts).</summary>
    public Task ApproveBorrower(BigInteger pence) => Send(Token, "GbpToken_sol_GbpToken", "approve", Borrower, pence);

    public async Task<BigInteger> Balance(string holder) =>
        await Web3.Eth.GetContract(Abi("GbpToken_sol_GbpToken"), Token).GetFunction("balanceOf").CallAsync<BigInteger>(holder);

    private async Task<string> Deploy(string name, params object[] args)
    {
        var receipt = await Web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(Abi(name), "0x" + File.ReadAllText(Path.Combine(Contracts, "build", name + ".bin")).Trim(),
            Desk, new HexBigInteger(4_000_000), null, args);
        return receipt.ContractAddress;
    }

    private async Task Send(string address, string name, string function, params object[] args)
    {
        var receipt = await Web3.Eth.GetContract(Abi(name), address).GetFunction(function).SendTransactionAndWaitForReceiptAsync(Desk, new HexBigInteger(200_000), null, null, args);
        if (receipt.Status.Value != 1) throw new InvalidOperationException($"{name}.{function} reverted");
    }

    private static string Abi(string name) => File.ReadAllText(Path.Combine(Contracts, "build", name + ".abi"));

    private async Task WaitForRpc()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 150; i++)
        {
            try
            {
                var answer = await http.PostAsJsonAsync(Rpc, new { jsonrpc = "2.0", id = 1, method = "eth_chainId", @params = Array.Empty<object>() });
                if (answer.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("ganache did not answer on " + Rpc);
    }

    private static async Task Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { WorkingDirectory = Contracts, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {await error}");
    }

    private static int DeskProcessPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        if (_ganache is { HasExited: false }) _ganache.Kill(entireProcessTree: true);
        _ganache?.Dispose();
        return Task.CompletedTask;
    }
}
