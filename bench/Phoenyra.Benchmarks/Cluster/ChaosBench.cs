using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Phoenyra.Tests.Shared;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Benchmarks.Cluster;

/// <summary>
/// <c>chaos [--seconds 60] [--every 15] [--clients 8]</c>: two desks (this checkout's Release build) on one
/// PostgreSQL cluster behind HAProxy (<c>deploy/haproxy/haproxy.cfg</c>); N clients send crossing orders
/// through HAProxy while the leader is killed with SIGKILL every M seconds, alternating nodes (the killed
/// desk is started again as the standby). Afterwards every acknowledged order and fill is looked up in the
/// journal itself. Prints acks, fills, each takeover (kill to the first acknowledgement after it) and lost.
/// </summary>
internal static class ChaosBench
{

    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var seconds = int.Parse(options.Get("--seconds", "60"), CultureInfo.InvariantCulture);
        var every = int.Parse(options.Get("--every", "15"), CultureInfo.InvariantCulture);
        var clients = int.Parse(options.Get("--clients", "8"), CultureInfo.InvariantCulture);
        using var server = PostgresServer.Start();
        var store = server.CreateDatabase();
        // The load benchmarks' policy: exposure and rate limits out of the way of a steady order stream.
        var policy = Path.Combine(Path.GetTempPath(), $"phoenyra-chaos-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(policy, Load.BenchDesk.Policy);
        DeskProcess Desk(string node)
        {
            var desk = new DeskProcess().InCluster(node, store)
                .AddKey("bench-seller", "trader", Load.BenchDesk.SellerKey).AddKey("bench-buyer", "trader", Load.BenchDesk.BuyerKey);
            desk.Environment["Phoenyra__Trading__PolicyFile"] = policy;
            desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
            desk.Environment["Phoenyra__Auth__RateLimit__PermitsPerSecond"] = "1000000";
            desk.Environment["Phoenyra__Auth__RateLimit__Burst"] = "1000000";
            desk.Environment["Logging__LogLevel__Default"] = "Warning";
            return desk;
        }
        var desks = new[] { Desk("node-a"), Desk("node-b") };
        await desks[0].Start();
        await desks[1].Start();
        using var haproxy = new HaproxyProcess(desks[0], desks[1]);

        var acks = new ConcurrentBag<(long Order, long[] Trades, long Sent, long Acked)>();
        var refused = 0L;
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            // Half the clients sell (resting), half buy (taking what rests): about half the orders fill.
            var side = c % 2 == 0 ? "buy" : "sell";
            using var http = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Add("X-API-Key", side == "buy" ? Load.BenchDesk.BuyerKey : Load.BenchDesk.SellerKey);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    var response = await http.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side, quantity = 0.1, price = side == "buy" ? 101 : 99, tif = side == "buy" ? "ioc" : "gtc" });
                    if (response.StatusCode != HttpStatusCode.OK) { Interlocked.Increment(ref refused); await Task.Delay(10); continue; }
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    acks.Add((body.GetProperty("id").GetInt64(), body.GetProperty("fills").EnumerateArray().Select(f => f.GetProperty("trade_id").GetInt64()).ToArray(), sent, Stopwatch.GetTimestamp()));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref refused);
                    await Task.Delay(10);
                }
            }
        })).ToList();

        var kills = new List<(string Node, long At)>();
        var clock = Stopwatch.StartNew();
        for (var k = 1; k * every <= seconds; k++)
        {
            await Task.Delay(TimeSpan.FromSeconds(k * every) - clock.Elapsed);
            var leader = await DeskProcess.LeaderOf(desks);
            if (leader is null) continue;
            leader.Kill(); // returns once the process is gone: an order sent after this cannot be the old leader's
            kills.Add((leader == desks[0] ? "node-a" : "node-b", Stopwatch.GetTimestamp()));
            _ = Task.Run(async () => { await Task.Delay(2000); await leader.Start(); }); // back as the standby
        }
        // After the last kill, until an order sent after it is acknowledged (at most 30 s).
        var lastKill = kills.Count > 0 ? kills[^1].At : 0;
        for (var i = 0; i < 300 && !acks.Any(a => a.Sent > lastKill); i++) await Task.Delay(100);
        stop.Cancel();
        await Task.WhenAll(senders);

        var (journaledOrders, journaledTrades) = await Journal(store);
        var acknowledged = acks.ToList();
        var lostOrders = acknowledged.Count(a => !journaledOrders.Contains(a.Order));
        var lostFills = acknowledged.SelectMany(a => a.Trades).Count(t => !journaledTrades.Contains(t));
        Console.WriteLine($"{clients} clients through HAProxy for {seconds} s, the leader killed every {every} s");
        Console.WriteLine("kill  node    takeover: from the kill to the acknowledgement of the first order sent after it");
        foreach (var (node, at) in kills)
        {
            var first = acknowledged.Where(a => a.Sent > at).Select(a => (long?)a.Acked).Min();
            Console.WriteLine($"{kills.IndexOf((node, at)) + 1,4}  {node}  {(first is { } f ? $"{Stopwatch.GetElapsedTime(at, f).TotalMilliseconds:0} ms" : "none")}");
        }
        Console.WriteLine($"acknowledged {acknowledged.Count:N0} orders with {acknowledged.Sum(a => a.Trades.Length):N0} fills; refused or cut off (not acknowledged) {refused:N0}");
        Console.WriteLine($"lost: {lostOrders} orders, {lostFills} fills (acknowledged but not in the journal)");
        if (options.Get("--logs", "") == "on")
            foreach (var desk in desks)
                foreach (var line in desk.Output.Split('\n').Where(l => l.Contains("Cluster node", StringComparison.Ordinal) || l.Contains("steps down", StringComparison.Ordinal)))
                    Console.WriteLine(line);
        foreach (var desk in desks) await desk.DisposeAsync();
        File.Delete(policy);
    }

    /// <summary>Every accepted order id and trade id in the journal's blocks, read from PostgreSQL and decoded.</summary>
    private static async Task<(HashSet<long> Orders, HashSet<long> Trades)> Journal(string store)
    {
        var (orders, trades) = (new HashSet<long>(), new HashSet<long>());
        await using var sql = new NpgsqlConnection(store);
        await sql.OpenAsync();
        await using var blocks = new NpgsqlCommand("SELECT data FROM j.journal_blocks ORDER BY seq", sql);
        await using var reader = await blocks.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            foreach (var record in JournalCodec.Read((byte[])reader.GetValue(0)))
            {
                if (record is OrderAcceptedRecord accepted) orders.Add(accepted.Id);
                if (record is FillRecord fill) trades.Add(fill.TradeId);
            }
        return (orders, trades);
    }
}
