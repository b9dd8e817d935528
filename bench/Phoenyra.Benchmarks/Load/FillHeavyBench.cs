using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Load;

/// <summary>
/// <c>fillheavy [--desk BIN] [--baseline BIN | --compare "label=BIN;label=BIN…"] [--postgres] [--runs 3] [--seconds 20] [--connections 32]</c>:
/// the issue-16 mix, closed loop with Debian's <c>wrk -t1 -cN</c> on the same machine. Two trader
/// keys alternate a resting GTC sell and a crossing IOC buy at the same price on DE-ID-60, so every
/// other order fills and journals; market maker off, rate and exposure limits out of the way. Each
/// run starts the desk binary on a fresh data folder; with <c>--baseline</c> (or several builds in
/// <c>--compare</c>) the builds run in turn, so they see the machine in the same state. Prints orders/s, latency percentiles,
/// non-2xx answers and the server's CPU per order. <c>--postgres</c> runs each build on SQLite and then on a fresh
/// database of a PostgreSQL server started for the bench (on the same cores).
/// </summary>
internal static partial class FillHeavyBench
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var desk = options.Get("--desk", BenchDesk.DefaultBinary);
        var baseline = options.Get("--baseline", "");
        var runs = int.Parse(options.Get("--runs", "3"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(options.Get("--seconds", "20"), CultureInfo.InvariantCulture);
        var connections = int.Parse(options.Get("--connections", "32"), CultureInfo.InvariantCulture);
        var compare = options.Get("--compare", "");
        var builds = compare.Length > 0
            ? compare.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(b => b.Split('=', 2)).Select(b => (b[0], b[1])).ToArray()
            : baseline.Length > 0 ? [("baseline", baseline), ("this build", desk)] : [("this build", desk)];

        using var postgres = args.Contains("--postgres") ? Phoenyra.Tests.Shared.PostgresServer.Start() : null;
        string?[] stores = postgres is null ? [null] : [null, "postgres"];

        var table = new TextTable("build", "run", "orders/s", "p50 ms", "p90 ms", "p99 ms", "non-2xx", "server CPU µs/order", "server cores");
        for (var run = 1; run <= runs; run++)
            foreach (var (build, path) in builds)
            foreach (var store in stores)
            {
                // The bench desk inherits this process's environment: PHOENYRA_STORE alone chooses PostgreSQL.
                Environment.SetEnvironmentVariable("PHOENYRA_STORE", store is null ? null : postgres!.CreateDatabase());
                var label = postgres is null ? build : $"{build}, {(store is null ? "SQLite" : "PostgreSQL")}";
                var r = await OneRun(path, seconds, connections);
                table.Add(label, run.ToString(CultureInfo.InvariantCulture), r.Rate.ToString("N0", CultureInfo.InvariantCulture), r.P50.ToString("F2", CultureInfo.InvariantCulture),
                    r.P90.ToString("F2", CultureInfo.InvariantCulture), r.P99.ToString("F2", CultureInfo.InvariantCulture), r.Non2xx.ToString("N0", CultureInfo.InvariantCulture),
                    (r.CpuSeconds * 1e6 / Math.Max(1, r.Requests)).ToString("F0", CultureInfo.InvariantCulture), (r.CpuSeconds / seconds).ToString("F2", CultureInfo.InvariantCulture));
                Console.WriteLine($"{label} run {run}: {r.Rate:N0}/s p99 {r.P99:F2} ms");
            }
        Console.Write(table);
    }

    private sealed record WrkResult(double Rate, long Requests, double P50, double P90, double P99, long Non2xx, double CpuSeconds);

    private static async Task<WrkResult> OneRun(string binary, int seconds, int connections)
    {
        await using var desk = await BenchDesk.Start(binary);
        var script = Path.Combine(desk.Folder, "fillheavy.lua");
        await File.WriteAllTextAsync(script, Script);
        await Wrk(script, 10, connections); // warm-up: tiered JIT, pools, SQLite pages
        var cpu0 = desk.CpuSeconds();
        var output = await Wrk(script, seconds, connections);
        return Parse(output, desk.CpuSeconds() - cpu0);
    }

    private static async Task<string> Wrk(string script, int seconds, int connections)
    {
        var wrk = new ProcessStartInfo("wrk", ["-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, $"http://127.0.0.1:{BenchDesk.Port}/api/orders"])
        { RedirectStandardOutput = true };
        using var process = Process.Start(wrk) ?? throw new InvalidOperationException("wrk did not start (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
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

    // One Lua state (-t1) serves every connection in turn, so the alternation is global. The
    // requests are formatted in init(), once wrk knows the Host header.
    private const string Script = $$"""
        local n, sell, buy = 0, nil, nil
        init = function(args)
          sell = wrk.format("POST", "/api/orders", { ["X-API-Key"] = "{{BenchDesk.SellerKey}}", ["Content-Type"] = "application/json" },
            '{"market":"DE-ID-60","side":"sell","quantity":0.1,"price":100.00,"type":"limit","tif":"gtc"}')
          buy = wrk.format("POST", "/api/orders", { ["X-API-Key"] = "{{BenchDesk.BuyerKey}}", ["Content-Type"] = "application/json" },
            '{"market":"DE-ID-60","side":"buy","quantity":0.1,"price":100.00,"type":"limit","tif":"ioc"}')
        end
        request = function()
          n = n + 1
          if n % 2 == 1 then return sell else return buy end
        end
        """;
}
