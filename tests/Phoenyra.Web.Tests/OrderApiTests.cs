using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>The "done when": an order typed at the REST API fills against the simulated book and shows everywhere.</summary>
public sealed class OrderApiTests(DeskFactory desk) : IClassFixture<DeskFactory>
{
    private HttpClient Trader => desk.ClientWithKey(DeskFactory.TraderKey);
    private HttpClient Viewer => desk.ClientWithKey(DeskFactory.ViewerKey);

    private async Task<JsonElement> Market(string market)
    {
        var data = await Viewer.GetFromJsonAsync<JsonElement>("/api/market-data");
        return data.GetProperty("markets").EnumerateArray().Single(m => m.GetProperty("market").GetString() == market);
    }

    [Fact]
    public async Task BuyAtTheAsk_FillsAgainstSimulatedLiquidity_AndShowsInTradesPositionsMarksAndMetrics()
    {
        var before = await Market("DE-ID-60");
        var ask = before.GetProperty("best_ask").GetDecimal();

        var response = await Trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1.5, price = ask, type = "limit", tif = "gtc" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("filled", order.GetProperty("status").GetString());
        var fill = order.GetProperty("fills")[0];
        Assert.Equal(ask, fill.GetProperty("price").GetDecimal());
        Assert.Equal("1.5", fill.GetProperty("quantity").GetRawText());

        var trades = await Viewer.GetFromJsonAsync<JsonElement>("/api/trades?market=DE-ID-60");
        Assert.Contains(trades.GetProperty("trades").EnumerateArray(), t => t.GetProperty("id").GetInt64() == fill.GetProperty("trade_id").GetInt64());
        var positions = await Viewer.GetFromJsonAsync<JsonElement>("/api/positions");
        var position = positions.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("market").GetString() == "DE-ID-60");
        Assert.True(position.GetProperty("net_quantity").GetDecimal() >= 1.5m);
        var after = await Market("DE-ID-60");
        Assert.Equal(ask, after.GetProperty("last_trade").GetDecimal());
        Assert.Equal(ask, after.GetProperty("mark").GetDecimal());
        Assert.NotEmpty(after.GetProperty("bars_1m").EnumerateArray());

        var metrics = await Viewer.GetStringAsync("/metrics");
        // Other test hosts in this process export the same families, so check the series, not its value.
        Assert.Contains("pho_mark{market=\"DE-ID-60\"}", metrics);
        Assert.Contains("pho_exposure_energy{market=\"DE-ID-60\"}", metrics);
        Assert.Contains("pho_pnl_realized{market=\"DE-ID-60\"}", metrics);
        Assert.Contains("pho_trades_total{market=\"DE-ID-60\"}", metrics);
        Assert.Equal(0, (await Promtool.CheckMetrics(metrics)).ExitCode);
    }

    [Fact]
    public async Task RiskDenial_Is422WithReasonCodeAndSentence()
    {
        var response = await Trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 30, price = 80.00 });

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("max_order_size", problem.GetProperty("reason").GetString());
        Assert.Equal("rejected", problem.GetProperty("order_status").GetString());
        Assert.Equal("30 MW exceeds the DE-ID-15 limit of 25 MW per order.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RestingOrder_IsListed_CanBeCancelled_AndThenIsClosed()
    {
        var placed = await (await Trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 1, price = 50.00 })).Content.ReadFromJsonAsync<JsonElement>();
        var id = placed.GetProperty("id").GetInt64();

        var open = await Viewer.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-15");
        Assert.Contains(open.EnumerateArray(), o => o.GetProperty("id").GetInt64() == id && o.GetProperty("status").GetString() == "accepted");

        Assert.Equal(HttpStatusCode.Forbidden, (await Viewer.DeleteAsync($"/api/orders/{id}")).StatusCode);
        var cancelled = await Trader.DeleteAsync($"/api/orders/{id}");
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await Trader.DeleteAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Trader.DeleteAsync("/api/orders/99999999")).StatusCode);
        var closed = await Viewer.GetFromJsonAsync<JsonElement>("/api/orders?status=closed");
        Assert.Contains(closed.EnumerateArray(), o => o.GetProperty("id").GetInt64() == id && o.GetProperty("status").GetString() == "cancelled");
    }

    [Fact]
    public async Task ViewerCannotTrade_AnonymousCannotRead()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await Viewer.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 1, price = 50 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.ClientWithKey(null).GetAsync("/api/positions")).StatusCode);
    }

    [Fact]
    public async Task Depth_ShowsSimulatedLevelsBestFirst()
    {
        var book = await Viewer.GetFromJsonAsync<JsonElement>("/api/book/DE-ID-15?levels=3");

        var bids = book.GetProperty("bids").EnumerateArray().Select(l => l.GetProperty("price").GetDecimal()).ToList();
        var asks = book.GetProperty("asks").EnumerateArray().Select(l => l.GetProperty("price").GetDecimal()).ToList();
        Assert.Equal(3, bids.Count);
        Assert.Equal(bids.OrderDescending(), bids);
        Assert.Equal(asks.Order(), asks);
        Assert.True(bids[0] < asks[0]);
    }

    [Fact]
    public async Task PolicyReload_ByAdminApplies_InvalidFileIsRejectedAndOldStays()
    {
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await Trader.PostAsync("/admin/policy/reload", null)).StatusCode);

        var ok = await admin.PostAsync("/admin/policy/reload", null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var policy = await admin.GetFromJsonAsync<JsonElement>("/admin/policy");
        Assert.Equal("active", policy.GetProperty("trading_state").GetString());
        Assert.True(policy.GetProperty("version").GetInt32() >= 1);
    }

    [Fact]
    public async Task APostOnlyOrder_ThatWouldTrade_IsA422WithItsReason_AndPostOnlyNeedsGtcLimit()
    {
        await Trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 1.0, price = 95.00, tif = "gtc" });

        var crossing = await Trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1.0, price = 95.00, post_only = true });
        var invalid = await Trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1.0, price = 94.00, tif = "ioc", post_only = true });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossing.StatusCode);
        Assert.Equal("post_only_would_cross", (await crossing.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("post_only", await invalid.Content.ReadAsStringAsync());
    }
}
