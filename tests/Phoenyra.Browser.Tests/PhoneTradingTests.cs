using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The trading page on a phone (390 × 844): one header row, a 2×2 KPI grid, the ticket above the fold, order cards with Cancel, an overlay menu.</summary>
public sealed class PhoneTradingTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private const int Width = 390, Height = 844;

    [Fact]
    public async Task APhoneCanTrade_WithoutSidewaysScrolling()
    {
        var (page, errors) = await TradingScreen.Open(Fixture, "DE-ID-60", Width, Height);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-phone.png") });

        // One header row; the theme switch is reachable through the header's menu.
        var header = await page.Locator(".pho-header-row").BoundingBoxAsync();
        Assert.True(header!.Height < 64, $"the header wraps to {header.Height}px");
        await page.GetByTestId("header-more").ClickAsync();
        await Assertions.Expect(page.GetByTestId("theme-toggle")).ToBeInViewportAsync();
        await page.GetByTestId("header-more").ClickAsync();

        // KPI cards two by two, and the ticket's button on the first screen.
        var net = await page.GetByTestId("card-net").BoundingBoxAsync();
        var mark = await page.GetByTestId("card-mark").BoundingBoxAsync();
        Assert.Equal(net!.Y, mark!.Y, 1);
        var submit = await page.GetByTestId("order-submit").BoundingBoxAsync();
        Assert.True(submit!.Y + submit.Height <= Height, $"the ticket's button is at {submit.Y}px, below the fold");

        // A resting order becomes a card whose Cancel is on screen.
        var quote = await TradingScreen.Quote(Fixture, "DE-ID-60");
        await TradingScreen.Enter(page, "Buy", "1", (quote.Mark - 6).ToString("0.00"), tif: null);
        await page.GetByTestId("order-submit").ClickAsync();
        var card = page.Locator("[data-testid=order-cards] [data-order-id]").First;
        await Assertions.Expect(card).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(card).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"BUY 1 MW DE-ID-60 @ \d+\.\d\d"));
        var cancel = card.Locator("button", new() { HasText = "Cancel" });
        var box = await cancel.BoundingBoxAsync();
        Assert.True(box!.X + box.Width <= Width, "Cancel needs a sideways swipe");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-phone-orders.png"), FullPage = true });
        await cancel.ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 1, $"the page is {overflow}px wider than the phone");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheMenu_OpensOverThePage_InsteadOfSqueezingIt()
    {
        var (page, errors) = await Fixture.Open("/trading", Width, Height);
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.drawerReady === 'true'");
        Assert.True(await DrawerWidth(page) < 2, "the menu starts open on a phone"); // a collapsed drawer keeps its 1px border
        var before = await page.Locator(".pho-main").BoundingBoxAsync();

        await page.GetByLabel("Toggle navigation").ClickAsync();
        await Assertions.Expect(page.Locator(".pho-nav").GetByText("BESS", new() { Exact = true })).ToBeInViewportAsync();
        var during = await page.Locator(".pho-main").BoundingBoxAsync();
        Assert.Equal(before!.Width, during!.Width, 1);

        await page.Locator(".pho-nav").GetByText("BESS", new() { Exact = true }).ClickAsync();
        await page.WaitForURLAsync(Fixture.Desk.BaseUrl + "/bess");
        await page.WaitForFunctionAsync("() => document.querySelector('.pho-sidebar').getBoundingClientRect().width < 2"); // closes after a choice
        Assert.Empty(errors);
    }

    private static async Task<double> DrawerWidth(IPage page) => (await page.Locator(".pho-sidebar").BoundingBoxAsync())?.Width ?? 0;
}
