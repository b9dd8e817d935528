using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>What a trader looks back at: every order's outcome (refusals with their reason) from the store, and positions per account.</summary>
public sealed class OrderHistoryTests
{
    private static Task<HttpResponseMessage> Order(HttpClient client, decimal quantity, decimal price, string side = "buy", string tif = "gtc") =>
        client.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side, quantity, price, type = "limit", tif });

    private static async Task<JsonElement> Eventually(HttpClient client, string url, Func<JsonElement, bool> done)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var answer = await client.GetFromJsonAsync<JsonElement>(url, timeout.Token);
            if (done(answer)) return answer;
            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task TheHistory_ListsCancelledAndRefusedOrders_WithTheirReason_FilteredAndPaged()
    {
        using var desk = new DeskFactory();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var resting = await (await Order(trader, 1m, 80m)).Content.ReadFromJsonAsync<JsonElement>();
        await trader.DeleteAsync($"/api/orders/{resting.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Order(trader, 60m, 80m)).StatusCode); // DE-ID-15 allows 25 MW

        var history = await Eventually(trader, "/api/orders/history?account=test-trader", h => h.GetProperty("orders").GetArrayLength() == 2);

        var orders = history.GetProperty("orders").EnumerateArray().ToList();
        Assert.Equal("rejected", orders[0].GetProperty("status").GetString());
        Assert.Equal("max_order_size", orders[0].GetProperty("reason").GetString());
        Assert.Contains("25 MW", orders[0].GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, orders[0].GetProperty("order_id").ValueKind);
        Assert.Equal("cancelled", orders[1].GetProperty("status").GetString());
        Assert.Equal(resting.GetProperty("id").GetInt64(), orders[1].GetProperty("order_id").GetInt64());

        var refused = await trader.GetFromJsonAsync<JsonElement>("/api/orders/history?status=rejected");
        Assert.All(refused.GetProperty("orders").EnumerateArray(), o => Assert.Equal("rejected", o.GetProperty("status").GetString()));
        var page1 = await trader.GetFromJsonAsync<JsonElement>("/api/orders/history?account=test-trader&limit=1");
        var page2 = await trader.GetFromJsonAsync<JsonElement>($"/api/orders/history?account=test-trader&limit=1&before={page1.GetProperty("next_before").GetInt64()}");
        Assert.Equal("cancelled", page2.GetProperty("orders")[0].GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await trader.GetAsync("/api/orders/history?status=sideways")).StatusCode);
    }

    [Fact]
    public async Task PositionsPerAccount_ShowWhoseFillsTheyAre()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" });
        await Order(desk.ClientWithKey(DeskFactory.AdminKey), 2m, 81m, side: "sell");
        await Order(desk.ClientWithKey(DeskFactory.TraderKey), 1.5m, 81m, tif: "ioc");

        var all = await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/api/positions/accounts");
        var mine = await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/api/positions/accounts?account=test-trader");

        var net = all.GetProperty("positions").EnumerateArray().ToDictionary(p => p.GetProperty("account").GetString()!, p => p.GetProperty("position").GetProperty("net_quantity").GetDecimal());
        Assert.Equal(1.5m, net["test-trader"]);
        Assert.Equal(-1.5m, net["test-admin"]);
        Assert.Equal(81m, mine.GetProperty("positions")[0].GetProperty("position").GetProperty("average_price").GetDecimal());
    }
}
