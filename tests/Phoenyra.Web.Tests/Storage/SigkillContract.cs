using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Storage;

/// <summary>The real binary, killed with SIGKILL in the middle of an order stream, loses nothing it acknowledged: on either store.</summary>
public abstract class SigkillContract : IAsyncLifetime
{
    private const string TraderKey = "durability-trader-key-0123456789abc";
    private readonly DeskProcess _desk = new();

    protected abstract void UseStore(DeskProcess desk);

    public async Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["Phoenyra__Auth__RateLimit__PermitsPerSecond"] = "100000";
        _desk.Environment["Phoenyra__Auth__RateLimit__Burst"] = "100000";
        UseStore(_desk);
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    private HttpClient Client() => _desk.Client(TraderKey);

    private sealed record Ack(long Id, string Status, decimal Filled, long[] TradeIds);

    [Fact]
    public async Task SigkillMidStream_ThenRestart_EveryAcknowledgedOrderAndFillIsThere()
    {
        var acks = new ConcurrentBag<Ack>();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            using var http = Client();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                // Alternate passive orders (they rest) and aggressive ones (they fill against the simulated maker or earlier orders).
                var side = (i + w) % 2 == 0 ? "buy" : "sell";
                var price = (i % 3) switch { 0 => side == "buy" ? 60m : 140m, _ => side == "buy" ? 130m : 70m };
                try
                {
                    var response = await http.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side, quantity = 0.5, price, tif = i % 3 == 0 ? "gtc" : "ioc" });
                    if (response.StatusCode != HttpStatusCode.OK) continue;
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    acks.Add(new Ack(body.GetProperty("id").GetInt64(), body.GetProperty("status").GetString()!, body.GetProperty("filled_quantity").GetDecimal(),
                        body.GetProperty("fills").EnumerateArray().Select(f => f.GetProperty("trade_id").GetInt64()).ToArray()));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                    return; // the desk is gone
                }
            }
        })).ToList();

        while (acks.Count < 400) await Task.Delay(5);
        _desk.Kill(); // SIGKILL while the workers are still sending
        stop.Cancel();
        await Task.WhenAll(workers);
        var acknowledged = acks.ToList();

        await _desk.Start();
        using var restarted = Client();

        var orders = (await restarted.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&status=all&limit=1000"))
            .EnumerateArray().ToDictionary(o => o.GetProperty("id").GetInt64());
        var trades = await AllTradeIds(restarted);
        foreach (var ack in acknowledged)
        {
            Assert.True(orders.TryGetValue(ack.Id, out var order), $"acknowledged order {ack.Id} ({ack.Status}) is missing after the restart");
            Assert.True(order.GetProperty("filled_quantity").GetDecimal() >= ack.Filled, $"order {ack.Id} lost fills");
            if (ack.Status is "filled" or "expired" or "cancelled") Assert.Equal(ack.Status, order.GetProperty("status").GetString());
            foreach (var trade in ack.TradeIds) Assert.Contains(trade, trades);
        }
        Assert.True(acknowledged.Count >= 400);
        Assert.Contains(acknowledged, a => a.TradeIds.Length > 0);
    }

    private static async Task<HashSet<long>> AllTradeIds(HttpClient client)
    {
        var ids = new HashSet<long>();
        long? before = null;
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/trades?market=DE-ID-60&limit=1000{(before is null ? "" : $"&before_id={before}")}");
            var trades = page.GetProperty("trades").EnumerateArray().ToList();
            if (trades.Count == 0) return ids;
            foreach (var t in trades) ids.Add(t.GetProperty("id").GetInt64());
            before = page.GetProperty("next_before_id").GetInt64();
        }
    }
}

public sealed class SqliteSigkillTests : SigkillContract
{
    protected override void UseStore(DeskProcess desk) { }
}

public sealed class PostgresSigkillTests : SigkillContract
{
    protected override void UseStore(DeskProcess desk) => desk.Environment["PHOENYRA_STORE"] = PostgresServer.Shared.CreateDatabase();
}
