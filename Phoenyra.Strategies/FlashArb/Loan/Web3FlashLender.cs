using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace Phoenyra.Strategies.FlashArb.Loan;

/// <summary>
/// The on-chain lender (<c>USE_WEB3_LOAN=1</c>): our ERC-3156 <c>FlashLender</c> at
/// <c>FLASH_LOAN_CONTRACT</c> and <c>SettlementBorrower</c> at <c>FLASH_LOAN_RECEIVER</c> on
/// <c>HARDHAT_RPC</c>, through Nethereum. A settlement is one transaction signed with
/// <c>LENDER_KEY</c>: the borrower pays <c>POWER_SETTLEMENT_ADDRESS</c>, pulls the futures proceeds
/// from <c>FUTURES_SETTLEMENT_ADDRESS</c> and repays — or the chain reverts all of it. Amounts on
/// chain are pence (the token has 2 decimals).
/// </summary>
public sealed class Web3FlashLender(string rpcUrl, string lenderAddress, string borrowerAddress, string signingKey, string powerVenue, string futuresVenue) : IFlashLender
{
    private const string LenderAbi = """[{"inputs":[{"name":"token_","type":"address"}],"name":"maxFlashLoan","outputs":[{"name":"","type":"uint256"}],"stateMutability":"view","type":"function"},{"inputs":[{"name":"token_","type":"address"},{"name":"amount","type":"uint256"}],"name":"flashFee","outputs":[{"name":"","type":"uint256"}],"stateMutability":"view","type":"function"},{"inputs":[],"name":"token","outputs":[{"name":"","type":"address"}],"stateMutability":"view","type":"function"}]""";
    private const string BorrowerAbi = """[{"inputs":[{"name":"powerVenue","type":"address"},{"name":"powerPayment","type":"uint256"},{"name":"futuresVenue","type":"address"},{"name":"futuresProceeds","type":"uint256"}],"name":"settle","outputs":[],"stateMutability":"nonpayable","type":"function"}]""";
    private static readonly HexBigInteger SettlementGas = new(1_000_000);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Web3? _web3;
    private string? _token, _from;

    public async Task<decimal> MaxFlashLoan(CancellationToken ct)
    {
        var (web3, token) = await Connect();
        return Gbp(await web3.Eth.GetContract(LenderAbi, lenderAddress).GetFunction("maxFlashLoan").CallAsync<BigInteger>(token));
    }

    public async Task<decimal> FlashFee(decimal amount, CancellationToken ct)
    {
        var (web3, token) = await Connect();
        return Gbp(await web3.Eth.GetContract(LenderAbi, lenderAddress).GetFunction("flashFee").CallAsync<BigInteger>(token, Pence(amount)));
    }

    public async Task<FlashLoanResult> Settle(Settlement settlement, CancellationToken ct)
    {
        var (web3, _) = await Connect();
        var fee = await FlashFee(settlement.PowerPayment, ct);
        await _gate.WaitAsync(ct);
        try
        {
            var settle = web3.Eth.GetContract(BorrowerAbi, borrowerAddress).GetFunction("settle");
            // The gas is given, not estimated: estimating a reverting call would throw before the chain could say so.
            var receipt = await settle.SendTransactionAndWaitForReceiptAsync(_from!, SettlementGas, null, null,
                powerVenue, Pence(settlement.PowerPayment), futuresVenue, Pence(settlement.FuturesProceeds));
            return receipt.Status?.Value == 1
                ? new FlashLoanResult(true, receipt.TransactionHash, fee, null)
                : new FlashLoanResult(false, receipt.TransactionHash, fee, $"the settlement reverted on chain (tx {receipt.TransactionHash})");
        }
        catch (Exception ex) when (ex is Nethereum.JsonRpc.Client.RpcResponseException or Nethereum.ABI.FunctionEncoding.SmartContractRevertException)
        {
            return new FlashLoanResult(false, null, fee, $"the settlement reverted on chain: {ex.Message}");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The chain's id, the signing account and the token, read once.</summary>
    private async Task<(Web3 Web3, string Token)> Connect()
    {
        if (_web3 is not null) return (_web3, _token!);
        var chainId = await new Web3(rpcUrl).Eth.ChainId.SendRequestAsync();
        var account = new Account(signingKey, chainId.Value);
        var web3 = new Web3(account, rpcUrl);
        _token = await web3.Eth.GetContract(LenderAbi, lenderAddress).GetFunction("token").CallAsync<string>();
        _from = account.Address;
        _web3 = web3;
        return (web3, _token);
    }

    private static BigInteger Pence(decimal gbp) => new(decimal.Round(gbp * 100m, 0, MidpointRounding.AwayFromZero));

    /// <summary>Pence from the chain as GBP; an amount beyond a billion pounds is the chain's fault, and the cycle backs off on it.</summary>
    private static decimal Gbp(BigInteger pence) => BigInteger.Abs(pence) <= MaxPence
        ? (decimal)pence / 100m
        : throw new InvalidDataException($"the chain answered {pence} pence, beyond ±{MaxPence / 100:N0} GBP");

    private static readonly BigInteger MaxPence = new(100_000_000_000m);
}
