using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Load;

/// <summary>
/// <c>fillheavy [--desk BIN] [--baseline BIN] [--runs 3] [--seconds 20] [--connections 32]</c>:
/// the issue-16 mix, closed loop with Debian's <c>wrk -t1 -cN</c> on the same machine. Two trader
/// keys alternate a resting GTC sell and a crossing IOC buy at the same price on DE-ID-60, so every
/// other order fills and journals; market maker off, rate and exposure limits out of the way. Each
/// run starts the desk binary on a fresh data folder; with <c>--baseline</c> both builds run
/// alternately so they see the machine in the same state. Prints orders/s, latency percentiles,
/// non-2xx answers and the server's CPU per order.
/// </summary>
internal static partial class FillHeavyBench
{
    private const string SellerKey = "bench-seller-key-0123456789abcdefghij";
    private const string BuyerKey = "bench-buyer-key-0123456789abcdefghijk";

    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var desk = options.Get("--desk", BenchHost.RepoFile("Phoenyra.Web/bin/Release/net9.0/linux-x64/Phoenyra.Web"));
        var baseline = options.Get("--baseline", "");
        var runs = int.Parse(options.Get("--runs", "3"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(options.Get("--seconds", "20"), CultureInfo.InvariantCulture);
        var connections = int.Parse(options.Get("--connections", "32"), CultureInfo.InvariantCulture);
        var builds = baseline.Length > 0 ? new[] { ("baseline", baseline), ("this build", desk) } : [("this build", desk)];
        foreach (var (_, path) in builds)
            if (!File.Exists(path)) throw new FileNotFoundException($"No desk binary at {path}; build it with `dotnet build -c Release Phoenyra.Web`.", path);

        var table = new TextTable("build", "run", "orders/s", "p50 ms", "p90 ms", "p99 ms", "non-2xx", "server CPU µs/order", "server cores");
        for (var run = 1; run <= runs; run++)
            foreach (var (label, path) in builds)
            {
                var r = await OneRun(path, seconds, connections);
                table.Add(label, run.ToString(CultureInfo.InvariantCulture), r.Rate.ToString("N0", CultureInfo.InvariantCulture), r.P50.ToString("F2", CultureInfo.InvariantCulture),
                    r.P90.ToString("F2", CultureInfo.InvariantCulture), r.P99.ToString("F2", CultureInfo.InvariantCulture), r.Non2xx.ToString("N0", CultureInfo.InvariantCulture),
                    (r.CpuSeconds * 1e6 / Math.Max(1, r.Requests)).ToString("F0", CultureInfo.InvariantCulture), (r.CpuSeconds / seconds).ToString("F2", CultureInfo.InvariantCulture));
                Console.WriteLine($"{label} run {run}: {r.Rate:N0}/s p99 {r.P99:F2} ms");
            }
        Console.Write(table);
    }

    private sealed record WrkResult(double Rate, long Requests, double P50, double P90, double P99, long Non2xx, double CpuSeconds);

    private static async Task<WrkResult> OneRun(string desk, int seconds, int connections)
    {
        var data = Directory.CreateTempSubdirectory("phoenyra-fillheavy-");
        try
        {
            var policy = Path.Combine(data.FullName, "policy.yaml");
            await File.WriteAllTextAsync(policy, Policy);
            var script = Path.Combine(data.FullName, "fillheavy.lua");
            await File.WriteAllTextAsync(script, Script);
            const int port = 5391;
            var start = new ProcessStartInfo(desk) { WorkingDirectory = data.FullName, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (k, v) in Environment(data.FullName, policy, port)) start.Environment[k] = v;
            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            try
            {
                await WaitHealthy(port);
                await Wrk(script, port, 10, connections); // warm-up: tiered JIT, pools, SQLite pages
                var cpu0 = CpuSeconds(process.Id);
                var output = await Wrk(script, port, seconds, connections);
                var cpu = CpuSeconds(process.Id) - cpu0;
                return Parse(output, cpu);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally { data.Delete(recursive: true); }
    }

    private static IEnumerable<(string, string)> Environment(string data, string policy, int port) =>
    [
        ("ASPNETCORE_URLS", $"http://127.0.0.1:{port}"),
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

    private static async Task WaitHealthy(int port)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            try { if ((await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException("The desk did not answer /healthz within 30 s.");
    }

    private static async Task<string> Wrk(string script, int port, int seconds, int connections)
    {
        var wrk = new ProcessStartInfo("wrk", ["-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, $"http://127.0.0.1:{port}/api/orders"])
        { RedirectStandardOutput = true };
        using var process = Process.Start(wrk) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static double CpuSeconds(int pid)
    {
        // Fields 14 and 15 of /proc/PID/stat (after the command name in parentheses): user and system ticks.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static WrkResult Parse(string output, double cpu)
    {
        double Latency(string percentile)
        {
            var m = Regex.Match(output, $@"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
            if (!m.Success) throw new FormatException($"wrk printed no {percentile}% latency:\n{output}");
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        }
        var requests = long.Parse(RequestsLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var rate = double.Parse(RateLine().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = NonSuccess().Match(output) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(rate, requests, Latency("50"), Latency("90"), Latency("99"), non2xx, cpu);
    }

    [GeneratedRegex(@"(\d+) requests in")] private static partial Regex RequestsLine();
    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")] private static partial Regex RateLine();
    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")] private static partial Regex NonSuccess();

    private const string Policy = """
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
          max_open_orders: 100000
        """;

    // One Lua state (-t1) serves every connection in turn, so the alternation is global. The
    // requests are formatted in init(), once wrk knows the Host header.
    private const string Script = $$"""
        local n, sell, buy = 0, nil, nil
        init = function(args)
          sell = wrk.format("POST", "/api/orders", { ["X-API-Key"] = "{{SellerKey}}", ["Content-Type"] = "application/json" },
            '{"market":"DE-ID-60","side":"sell","quantity":0.1,"price":100.00,"type":"limit","tif":"gtc"}')
          buy = wrk.format("POST", "/api/orders", { ["X-API-Key"] = "{{BuyerKey}}", ["Content-Type"] = "application/json" },
            '{"market":"DE-ID-60","side":"buy","quantity":0.1,"price":100.00,"type":"limit","tif":"ioc"}')
        end
        request = function()
          n = n + 1
          if n % 2 == 1 then return sell else return buy end
        end
        """;
}
