using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Phoenyra.Benchmarks.Load;
using Phoenyra.Core.Cli;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Benchmarks.Cluster;

/// <summary>
/// <c>standbylag [--seconds 30] [--rate 20000] [--pairs 1]</c>: a leader (the bench desk, this checkout's Release
/// build) and a hot standby on one PostgreSQL cluster started for the run; the fill-heavy mix goes to the leader's
/// order-entry socket at RATE orders/s (0: as fast as it takes them) while the standby's
/// <c>pho_cluster_standby_lag_records</c> is read every 100 ms; then the load stops and the time until the standby
/// has applied everything is measured. Prints the rate reached, the lag's p50 / p99 / max, and the catch-up time.
/// </summary>
internal static partial class StandbyLagBench
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var seconds = int.Parse(options.Get("--seconds", "30"), CultureInfo.InvariantCulture);
        var rate = double.Parse(options.Get("--rate", "20000"), CultureInfo.InvariantCulture);
        var pairs = int.Parse(options.Get("--pairs", "1"), CultureInfo.InvariantCulture);
        using var server = PostgresServer.Start();
        var store = server.CreateDatabase();
        // The bench desk inherits this process's environment: it is node-a and leads.
        Environment.SetEnvironmentVariable("PHOENYRA_STORE", store);
        Environment.SetEnvironmentVariable("Phoenyra__Cluster__Enabled", "true");
        Environment.SetEnvironmentVariable("Phoenyra__Cluster__NodeId", "node-a");
        await using var leader = await BenchDesk.Start(options.Get("--desk", BenchDesk.DefaultBinary));
        await using var standby = new DeskProcess().InCluster("node-b", store);
        standby.Environment["API_KEY"] = BenchDesk.SellerKey;
        standby.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
        standby.Environment["Logging__LogLevel__Default"] = "Warning";
        using var toLeader = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{BenchDesk.Port}") };
        while ((await toLeader.GetAsync("/healthz/leader")).StatusCode != HttpStatusCode.OK) await Task.Delay(100);
        await standby.Start();
        using var toStandby = standby.Client(BenchDesk.SellerKey);

        var clients = Enumerable.Range(0, pairs).SelectMany(_ => new[]
        {
            new OrderEntryBench.Client(BenchDesk.SellerKey, "sell", "gtc"), new OrderEntryBench.Client(BenchDesk.BuyerKey, "buy", "ioc"),
        }).ToList();
        foreach (var client in clients) await client.Connect();
        var lags = new List<double>();
        var (leaderCpu, standbyCpu) = (leader.CpuSeconds(), Live.ProcessCpu.OfPid(standby.ProcessId));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var started = Stopwatch.GetTimestamp();
        var load = Task.WhenAll(clients.Select(c => c.Run(2000, 100, stop.Token, rate > 0 ? rate / clients.Count : null)));
        while (!load.IsCompleted)
        {
            lags.Add(await Lag(toStandby));
            await Task.Delay(100);
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var answered = clients.Sum(c => c.Latencies.Count());
        (leaderCpu, standbyCpu) = ((leader.CpuSeconds() - leaderCpu) / elapsed, (Live.ProcessCpu.OfPid(standby.ProcessId) - standbyCpu) / elapsed);
        var caughtUp = Stopwatch.StartNew();
        while (await Lag(toStandby) > 0 || await Lag(toStandby) > 0) // twice: the first 0 may be from before the last block
        {
            if (caughtUp.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the standby did not catch up within 60 s");
            await Task.Delay(20);
        }
        var catchUp = caughtUp.Elapsed.TotalMilliseconds;
        foreach (var client in clients) client.Dispose();
        var (blockP50, blockP99, blockMax) = await BlockSizes(store);

        if (options.Get("--trace", "") == "1") Console.WriteLine("lag every 100 ms: " + string.Join(" ", lags) + "\n" + standby.Output);
        lags.Sort();
        // The floor beside the target: a standby applies a committed block whole, so a look between its commit and its
        // application sees at least that block's records, however fast the standby is.
        var table = new TextTable("leader orders/s", "leader cores", "standby cores", "lag p50 records", "lag p99", "lag max", "caught up after the load (ms)",
            "block records p50 / p99 / max (floor)");
        table.Add((answered / elapsed).ToString("N0", CultureInfo.InvariantCulture), leaderCpu.ToString("F2", CultureInfo.InvariantCulture), standbyCpu.ToString("F2", CultureInfo.InvariantCulture), Live.Percentiles.Of(lags, 50).ToString("N0", CultureInfo.InvariantCulture),
            Live.Percentiles.Of(lags, 99).ToString("N0", CultureInfo.InvariantCulture), lags[^1].ToString("N0", CultureInfo.InvariantCulture), catchUp.ToString("N0", CultureInfo.InvariantCulture),
            $"{blockP50:N0} / {blockP99:N0} / {blockMax:N0}");
        Console.Write(table);
    }

    /// <summary>Records per journal block the leader committed (the unit a standby applies at once).</summary>
    private static async Task<(double P50, double P99, double Max)> BlockSizes(string store)
    {
        await using var connection = new Npgsql.NpgsqlConnection(store);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY records), percentile_cont(0.99) WITHIN GROUP (ORDER BY records), max(records) FROM j.journal_blocks", connection);
        await using var row = await command.ExecuteReaderAsync();
        await row.ReadAsync();
        return (row.GetDouble(0), row.GetDouble(1), row.GetInt64(2));
    }

    private static async Task<double> Lag(HttpClient standby)
    {
        var metrics = await standby.GetStringAsync("/metrics");
        return double.Parse(LagLine().Match(metrics).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?m)^pho_cluster_standby_lag_records(?:\{[^}]*\})? (\S+)$")]
    private static partial Regex LagLine();
}
