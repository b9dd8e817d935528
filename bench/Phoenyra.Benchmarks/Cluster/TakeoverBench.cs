using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Benchmarks.Cluster;

/// <summary>
/// <c>takeover [--runs 10]</c>: two desks (this checkout's Release build of Phoenyra.Web) on one PostgreSQL
/// cluster started for the run; the leader is killed with SIGKILL, and the time until the standby accepts
/// its first order is measured, then the killed desk is started again as the standby, alternating nodes.
/// Prints each takeover and p50 / max.
/// </summary>
internal static class TakeoverBench
{
    private const string TraderKey = "takeover-trader-key-0123456789abcdef";

    public static async Task Run(string[] args)
    {
        var runs = int.Parse(new BenchArgs(args).Get("--runs", "10"), CultureInfo.InvariantCulture);
        using var server = PostgresServer.Start();
        var store = server.CreateDatabase();
        var desks = new[] { Desk("node-a", store), Desk("node-b", store) };
        await desks[0].Start();
        await desks[0].WaitUntilLeader(TimeSpan.FromSeconds(30));
        await desks[1].Start();
        var takeovers = new List<double>();
        var price = 10m;
        for (var run = 0; run < runs; run++)
        {
            var (leader, standby) = (desks[run % 2], desks[(run + 1) % 2]);
            using var toLeader = leader.Client(TraderKey);
            for (var i = 0; i < 20; i++) (await Bid(toLeader, price += 0.01m)).EnsureSuccessStatusCode();
            using var toStandby = new HttpClient { BaseAddress = new Uri(standby.BaseUrl), Timeout = TimeSpan.FromSeconds(5) };
            toStandby.DefaultRequestHeaders.Add("X-API-Key", TraderKey);
            var clock = Stopwatch.StartNew();
            leader.Kill();
            while ((await Bid(toStandby, price += 0.01m)).StatusCode != HttpStatusCode.OK)
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"no takeover within 60 s:\n{standby.Output}");
                await Task.Delay(10);
            }
            takeovers.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"run {run + 1,2}: killed {(run % 2 == 0 ? "node-a" : "node-b")}, first order accepted by the other {clock.Elapsed.TotalMilliseconds,6:0} ms after the kill");
            await leader.Start(); // back as the standby
        }
        foreach (var desk in desks) await desk.DisposeAsync();
        takeovers.Sort();
        Console.WriteLine($"takeover after SIGKILL over {runs} runs: p50 {takeovers[takeovers.Count / 2]:0} ms, max {takeovers[^1]:0} ms");
    }

    private static DeskProcess Desk(string node, string store)
    {
        var desk = new DeskProcess().InCluster(node, store);
        desk.Environment["API_KEY"] = TraderKey;
        desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
        desk.Environment["Logging__LogLevel__Default"] = "Warning";
        return desk;
    }

    private static Task<HttpResponseMessage> Bid(HttpClient client, decimal price) =>
        client.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 0.1, price, tif = "gtc" });
}
