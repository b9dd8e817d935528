using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>Trade history comes from the store: trades beyond what the engines keep in memory stay reachable, by market, account and time.</summary>
public sealed class TradeHistoryTests
{
    [Fact]
    public async Task TradesBeyondTheInMemoryWindow_AreAllReachable_AndFilterByAccountAndTime()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Trading:RecentLimit"] = "100",
            ["Phoenyra:Trading:MarketMaker:Enabled"] = "false",
            ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "100000",
            ["Phoenyra:Auth:RateLimit:Burst"] = "100000",
        });
        var seller = desk.ClientWithKey(DeskFactory.TraderKey);
        var buyer = desk.ClientWithKey(DeskFactory.AdminKey);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        var made = new List<long>();
        DateTimeOffset half = default;
        for (var i = 0; i < 150; i++)
        {
            if (i == 75) { await Task.Delay(20); half = DateTimeOffset.UtcNow; await Task.Delay(20); }
            var rest = await (await seller.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 0.1, price = 50, tif = "gtc" })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(rest.GetProperty("status").GetString() == "accepted", rest.GetRawText());
            var fill = await (await buyer.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 0.1, price = 50, tif = "ioc" })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(fill.TryGetProperty("fills", out var fills) && fills.GetArrayLength() == 1, fill.GetRawText());
            made.Add(fill.GetProperty("fills")[0].GetProperty("trade_id").GetInt64());
        }

        var all = await Pages(viewer, "/api/trades?market=DE-ID-60&limit=40");
        Assert.Equal(made.OrderByDescending(id => id), all.Select(t => t.GetProperty("id").GetInt64()));

        var sellers = await Pages(viewer, $"/api/trades?account=test-trader&limit=1000");
        Assert.Equal(150, sellers.Count);
        Assert.All(sellers, t => Assert.Equal("test-trader", t.GetProperty("maker_account").GetString()));
        Assert.Empty(await Pages(viewer, "/api/trades?account=nobody"));

        var firstHalf = await Pages(viewer, $"/api/trades?market=DE-ID-60&until={Uri.EscapeDataString(half.ToString("O"))}");
        Assert.Equal(made.Take(75).OrderByDescending(id => id), firstHalf.Select(t => t.GetProperty("id").GetInt64()));
        var secondHalf = await Pages(viewer, $"/api/trades?market=DE-ID-60&since={Uri.EscapeDataString(half.ToString("O"))}");
        Assert.Equal(75, secondHalf.Count);
    }

    // Follows next_before_id to the end; the store's index trails the journal by a moment, so the full walk is retried until it settles.
    private static async Task<List<JsonElement>> Pages(HttpClient client, string url)
    {
        List<JsonElement> trades = [];
        for (var attempt = 0; attempt < 50; attempt++)
        {
            trades = [];
            long? before = null;
            while (true)
            {
                var page = await client.GetFromJsonAsync<JsonElement>(url + (before is null ? "" : $"&before_id={before}"));
                var items = page.GetProperty("trades").EnumerateArray().ToList();
                if (items.Count == 0) break;
                trades.AddRange(items);
                before = page.GetProperty("next_before_id").GetInt64();
            }
            if (trades.Count >= 150 || url.Contains("nobody") || url.Contains("since") || url.Contains("until")) { await Task.Delay(300); break; }
            await Task.Delay(100);
        }
        return trades;
    }
}
