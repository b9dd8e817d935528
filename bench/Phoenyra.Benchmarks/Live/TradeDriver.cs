using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Benchmarks.Live;

/// <summary>
/// Makes trades on a running desk at a steady rate: IOC orders that cross the simulated market
/// maker, alternating buy and sell so the desk's position stays flat.
/// </summary>
internal sealed class TradeDriver(Uri url, string key, string market)
{
    public long Sent;
    public long Failed;

    /// <summary>Orders that traded (an IOC that found no price in time expires without a trade).</summary>
    public long Filled;

    public async Task Run(double perSecond, TimeSpan duration, CancellationToken stop = default)
    {
        using var http = new HttpClient { BaseAddress = url };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        var mark = await Mark(http);
        // Timers tick every few ms at best, so fast rates send a small burst per 10 ms tick.
        var perTick = Math.Max(1, (int)Math.Round(perSecond / 100));
        var interval = TimeSpan.FromSeconds(perTick / perSecond);
        var started = DateTime.UtcNow;
        var inflight = new List<Task>();
        for (var i = 0; DateTime.UtcNow - started < duration && !stop.IsCancellationRequested;)
        {
            for (var k = 0; k < perTick; k++, i++)
            {
                var buy = i % 2 == 0;
                var price = Math.Round(buy ? mark + 5 : mark - 5, 2);
                inflight.Add(Post(http, new { market, side = buy ? "buy" : "sell", quantity = 0.1, price, tif = "ioc" }));
            }
            if (i % 50 < perTick) mark = await Mark(http); // follow the demo curve so IOC orders keep crossing
            var due = started + interval * (i / perTick);
            if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow, stop).ContinueWith(_ => { });
        }
        await Task.WhenAll(inflight);
    }

    private async Task Post(HttpClient http, object body)
    {
        try
        {
            var response = await http.PostAsJsonAsync("/api/orders", body);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref Sent : ref Failed);
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("filled_quantity").GetDecimal() > 0)
                Interlocked.Increment(ref Filled);
        }
        catch (HttpRequestException) { Interlocked.Increment(ref Failed); }
    }

    private async Task<decimal> Mark(HttpClient http)
    {
        var data = await http.GetFromJsonAsync<JsonElement>("/api/market-data?bars=0");
        return data.GetProperty("markets").EnumerateArray().Single(m => m.GetProperty("market").GetString() == market).GetProperty("mark").GetDecimal();
    }
}
