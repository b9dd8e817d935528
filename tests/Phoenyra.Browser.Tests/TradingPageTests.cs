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

        await Enter(page, "Buy", "2.5", (mark - 5).ToString("0.00"), tif: null);
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

        await Enter(page, "Buy", "1", (mark + 5).ToString("0.00"), tif: "IOC");
        await page.GetByTestId("order-submit").ClickAsync();

        var trade = page.Locator("[data-testid=recent-trades] tr[data-trade-id]").First;
        await Assertions.Expect(trade).ToContainTextAsync(Market, new() { Timeout = 10_000 });
        await page.WaitForFunctionAsync($"() => Number(document.querySelector('[data-testid=mark-chart]').dataset.updates ?? 0) > {updatesBefore}", null, new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("card-net")).Not.ToContainTextAsync("—");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-fill.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task BadInput_AndKnownLimits_AreFlaggedBeforeSubmit_AndARiskDenialShowsItsReason()
    {
        var (page, errors) = await OpenTrading();
        var mark = await Mark();

        await Enter(page, "Buy", "0.05", (mark - 5).ToString("0.00"), tif: null);
        await Assertions.Expect(page.GetByTestId("error-quantity")).ToContainTextAsync("multiple of the lot");
        await Assertions.Expect(page.GetByTestId("order-submit")).ToBeDisabledAsync();

        // policy.yaml: 50 MW per order by default, a price band of 150 EUR/MWh around the mark.
        await Enter(page, "Buy", "60", (mark - 5).ToString("0.00"), tif: null);
        await Assertions.Expect(page.GetByTestId("error-quantity")).ToContainTextAsync("max_order_size");
        await Enter(page, "Buy", "1", (mark - 200).ToString("0.00"), tif: null);
        await Assertions.Expect(page.GetByTestId("error-quantity")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("error-price")).ToContainTextAsync("price_band");
        await Assertions.Expect(page.GetByTestId("order-submit")).ToBeDisabledAsync();

        // What only the engine knows: the book cannot fill a fill-or-kill far below the ask.
        await Enter(page, "Buy", "1", (mark - 5).ToString("0.00"), tif: "FOK");
        await page.GetByTestId("order-submit").ClickAsync();

        var denial = page.GetByTestId("order-denial");
        await Assertions.Expect(denial).ToContainTextAsync("fok_not_fillable", new() { Timeout = 10_000 });
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

    private Task<(IPage Page, List<string> Errors)> OpenTrading() => TradingScreen.Open(Fixture, Market);

    private static Task Enter(IPage page, string side, string quantity, string price, string? tif) => TradingScreen.Enter(page, side, quantity, price, tif);

    private async Task<decimal> Mark() => (await TradingScreen.Quote(Fixture, Market)).Mark;
}
