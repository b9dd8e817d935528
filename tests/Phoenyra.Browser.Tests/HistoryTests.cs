using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>Looking back and cleaning up: the order history with refusals and their reasons, cancel-all and flatten.</summary>
public sealed class HistoryTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private const string Market = "DE-ID-60";
    private const string Trader = "env-trader"; // the key id of API_KEY

    private HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(Fixture.Desk.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-API-Key", BrowserFixture.TraderKey);
        return http;
    }

    private async Task<HttpResponseMessage> Order(HttpClient http, decimal quantity, decimal price, string side = "buy", string tif = "gtc") =>
        await http.PostAsJsonAsync("/api/orders", new { market = Market, side, quantity, price, type = "limit", tif });

    [Fact]
    public async Task TheOrdersPage_ShowsARefusedOrder_WithItsReason()
    {
        using var http = Api();
        var mark = (await TradingScreen.Quote(Fixture, Market)).Mark;
        await Order(http, 60m, mark); // above the 50 MW per-order limit
        var (page, errors) = await Fixture.Open("/orders");

        await page.GetByTestId("filter-status").ClickAsync();
        await page.Locator(".rz-dropdown-item", new() { HasText = "rejected" }).Filter(new() { Visible = true }).First.ClickAsync();
        await page.GetByTestId("filter-apply").ClickAsync();

        var row = page.Locator("[data-testid=order-history] tr[data-status=rejected]").First;
        await Assertions.Expect(row).ToContainTextAsync("max_order_size", new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToContainTextAsync(Trader);
        await Assertions.Expect(page.Locator("[data-testid=order-history] tr[data-status]").Filter(new() { HasNot = page.Locator("text=rejected") })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("positions-table")).ToContainTextAsync(Market);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "orders-history.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task CancelAll_AndFlatten_CleanUpMyMarket_AfterConfirmation()
    {
        using var http = Api();
        var mark = (await TradingScreen.Quote(Fixture, Market)).Mark;
        await Order(http, 1m, mark - 6);
        await Order(http, 1m, mark - 7);
        await Order(http, 1.5m, mark + 5, tif: "ioc"); // lifts the market maker: a long position
        var (page, errors) = await TradingScreen.Open(Fixture, Market);

        await page.GetByTestId("cancel-all").ClickAsync();
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel them" }).ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"(\d+) of \1 cancelled") })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var open = await http.GetFromJsonAsync<JsonElement>($"/api/orders?market={Market}");
        Assert.DoesNotContain(open.EnumerateArray(), o => o.GetProperty("account").GetString() == Trader);

        await page.GetByTestId("flatten").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-dialog")).ToContainTextAsync($"SELL 1.5 MW {Market} at market");
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Flatten", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-item").Filter(new() { HasText = "Flattened" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var positions = await http.GetFromJsonAsync<JsonElement>($"/api/positions/accounts?account={Trader}");
        Assert.Equal(0m, positions.GetProperty("positions").EnumerateArray().Single(p => p.GetProperty("position").GetProperty("market").GetString() == Market)
            .GetProperty("position").GetProperty("net_quantity").GetDecimal());
        Assert.Empty(errors);
    }
}
