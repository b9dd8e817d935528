using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The trading page in Chromium against the real binary: order entry, active orders, trades, charts, roles.</summary>
public sealed class TradingPageTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private const string Market = "DE-ID-60";

    [Fact]
    public async Task OrderPlacedThroughTheForm_ShowsInActiveOrders_AndCancelRemovesIt()
    {
        var (page, errors) = await OpenTrading();
        var mark = await Mark();

        await Enter(page, "Buy", "2.5", (mark - 30).ToString("0.00"), tif: null);
        await page.GetByTestId("order-submit").ClickAsync();

        var toast = page.Locator(".rz-notification-item").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Order \\d+ accepted") });
        await Assertions.Expect(toast).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var id = System.Text.RegularExpressions.Regex.Match(await toast.InnerTextAsync(), "Order (\\d+)").Groups[1].Value;
        var row = page.Locator($"[data-testid=active-orders] tr[data-order-id='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-status", "accepted");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-order.png"), FullPage = true });

        await page.GetByTestId($"cancel-{id}").ClickAsync();

        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task CrossingOrder_Fills_TheTradeAppears_AndTheMarkChartMoves()
    {
        var (page, errors) = await OpenTrading();
        var chart = page.GetByTestId("mark-chart");
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=mark-chart]')?._phoenyraChart !== undefined");
        var updatesBefore = int.Parse(await chart.GetAttributeAsync("data-updates") ?? "0");
        var mark = await Mark();

        await Enter(page, "Buy", "1", (mark + 10).ToString("0.00"), tif: "IOC");
        await page.GetByTestId("order-submit").ClickAsync();

        var trade = page.Locator("[data-testid=recent-trades] tr[data-trade-id]").First;
        await Assertions.Expect(trade).ToContainTextAsync(Market, new() { Timeout = 10_000 });
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=mark-chart]').dataset.updates ?? 0) > {updatesBefore}", null, new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("card-net")).Not.ToContainTextAsync("—");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-fill.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task BadInput_IsFlaggedBeforeSubmit_AndARiskDenialShowsItsReason()
    {
        var (page, errors) = await OpenTrading();
        var mark = await Mark();

        await Enter(page, "Buy", "0.05", (mark - 20).ToString("0.00"), tif: null);
        await Assertions.Expect(page.GetByTestId("error-quantity")).ToContainTextAsync("multiple of the lot");
        await Assertions.Expect(page.GetByTestId("order-submit")).ToBeDisabledAsync();

        await Enter(page, "Buy", "60", (mark - 20).ToString("0.00"), tif: null);
        await Assertions.Expect(page.GetByTestId("error-quantity")).ToHaveCountAsync(0);
        await page.GetByTestId("order-submit").ClickAsync();

        var denial = page.GetByTestId("order-denial");
        await Assertions.Expect(denial).ToContainTextAsync("max_order_size", new() { Timeout = 10_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-denied.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AViewerSession_SeesTheDesk_ButNoOrderForm()
    {
        var (page, errors) = await Fixture.Open("/trading", key: BrowserFixture.ViewerKey);

        await Assertions.Expect(page.GetByTestId("viewer-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("order-entry")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("session-badge")).ToContainTextAsync("viewer");
        await Assertions.Expect(page.Locator("[data-testid=active-orders] button[data-testid^=cancel-]")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task WithoutASession_TheDashboardAsksForAKey_AndRefusesABadOne()
    {
        var (page, _) = await Fixture.NewPage();
        await page.GotoAsync(Fixture.Desk.BaseUrl + "/trading");
        await Assertions.Expect(page.Locator("#api_key")).ToBeVisibleAsync();

        await page.Locator("#api_key").FillAsync("not-a-key-at-all-000000");
        await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("not valid");
    }

    private async Task<(IPage Page, List<string> Errors)> OpenTrading()
    {
        var opened = await Fixture.Open("/trading");
        await opened.Page.GetByTestId("market-picker").ClickAsync();
        await opened.Page.Locator(".rz-dropdown-item", new() { HasText = Market }).Filter(new() { Visible = true }).First.ClickAsync();
        await Assertions.Expect(opened.Page.GetByTestId("mark-chart")).ToHaveAttributeAsync("data-market", Market);
        await Assertions.Expect(opened.Page.GetByTestId("order-market")).ToContainTextAsync(Market);
        return opened;
    }

    private static async Task Enter(IPage page, string side, string quantity, string price, string? tif)
    {
        await page.GetByTestId("order-side").GetByText(side, new() { Exact = true }).ClickAsync();
        await Fill(page.Locator("[data-testid=order-quantity] input"), quantity);
        await Fill(page.Locator("[data-testid=order-price] input"), price);
        if (tif is not null)
        {
            await page.GetByTestId("order-tif").ClickAsync();
            await page.Locator(".rz-dropdown-item", new() { HasText = tif }).Filter(new() { Visible = true }).First.ClickAsync();
        }
    }

    /// <summary>Types like a user and leaves the field, so the form validates on change.</summary>
    private static async Task Fill(ILocator input, string value)
    {
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    private async Task<decimal> Mark()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Fixture.Desk.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-API-Key", BrowserFixture.TraderKey);
        var data = await http.GetFromJsonAsync<JsonElement>("/api/market-data?bars=0");
        return data.GetProperty("markets").EnumerateArray().Single(m => m.GetProperty("market").GetString() == Market).GetProperty("mark").GetDecimal();
    }
}
