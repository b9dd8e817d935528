using System.Diagnostics;

namespace Phoenyra.Benchmarks.Load;

/// <summary>
/// The published desk binary on a fresh data folder for one measured run: two trader keys
/// (<see cref="SellerKey"/>, <see cref="BuyerKey"/>), market maker off, rate and exposure limits out
/// of the way. Killed and its folder deleted on dispose.
/// </summary>
internal sealed class BenchDesk : IAsyncDisposable
{
    public const string SellerKey = "bench-seller-key-0123456789abcdefghij";
    public const string BuyerKey = "bench-buyer-key-0123456789abcdefghijk";
    public const int Port = 5391;

    private readonly DirectoryInfo _data;
    private readonly Process _process;

    private BenchDesk(DirectoryInfo data, Process process) => (_data, _process) = (data, process);

    public string Folder => _data.FullName;

    public static string DefaultBinary => BenchHost.RepoFile("Phoenyra.Web/bin/Release/net9.0/linux-x64/Phoenyra.Web");

    public static async Task<BenchDesk> Start(string binary)
    {
        if (!File.Exists(binary)) throw new FileNotFoundException($"No desk binary at {binary}; build it with `dotnet build -c Release Phoenyra.Web`.", binary);
        var data = Directory.CreateTempSubdirectory("phoenyra-bench-");
        var policy = Path.Combine(data.FullName, "policy.yaml");
        await File.WriteAllTextAsync(policy, Policy);
        var start = new ProcessStartInfo(binary) { WorkingDirectory = data.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in Environment(data.FullName, policy)) start.Environment[k] = v;
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var desk = new BenchDesk(data, process);
        await desk.WaitHealthy();
        return desk;
    }

    /// <summary>User plus system CPU the desk has used so far, from /proc.</summary>
    public double CpuSeconds() => Live.ProcessCpu.OfPid(_process.Id);

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { _data.Delete(recursive: true); } catch (IOException) { }
    }

    private async Task WaitHealthy()
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try { if ((await http.GetAsync($"http://127.0.0.1:{Port}/healthz")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The desk did not answer /healthz within 30 s.");
    }

    private static IEnumerable<(string, string)> Environment(string data, string policy) =>
    [
        ("ASPNETCORE_URLS", $"http://127.0.0.1:{Port}"),
        ("ASPNETCORE_ENVIRONMENT", "Production"),
        ("Logging__LogLevel__Default", "Warning"),
        ("Phoenyra__DataDir", data),
        ("Phoenyra__Auth__DemoKeys", "false"),
        ("Phoenyra__Auth__Keys__0__Id", "bench-seller"),
        ("Phoenyra__Auth__Keys__0__Role", "trader"),
        ("Phoenyra__Auth__Keys__0__Key", SellerKey),
        ("Phoenyra__Auth__Keys__1__Id", "bench-buyer"),
        ("Phoenyra__Auth__Keys__1__Role", "trader"),
        ("Phoenyra__Auth__Keys__1__Key", BuyerKey),
        ("Phoenyra__Auth__RateLimit__PermitsPerSecond", "10000000"),
        ("Phoenyra__Auth__RateLimit__Burst", "10000000"),
        ("Phoenyra__Trading__PolicyFile", policy),
        ("Phoenyra__Trading__MarketMaker__Enabled", "false"),
    ];

    internal const string Policy = """
        version: 1
        trading_state: active
        defaults:
          max_order_mw: 50
          max_order_notional_eur: 250000
          price_band_eur: 150
          max_exposure_mwh: 100000000
          max_exposure_eur: 100000000000
          submit_rate_per_second: 10000000
          submit_burst: 10000000
          key_rate_per_second: 10000000
          key_burst: 10000000
          max_open_orders: 1000000
        """;
}
