using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The Flash Arb page on the live demo desk, the futures leg replayed at a constant 200 GBP so the spread is always there to take.</summary>
public sealed class FlashArbPageTests(FlashArbPageTests.RichFutures fixture) : BrowserTest(fixture), IClassFixture<FlashArbPageTests.RichFutures>
{
    public sealed class RichFutures : BrowserFixture
    {
        public RichFutures()
        {
            ReplayGbFuturesAt(200);
        }
    }

    [Fact]
    public async Task ATraderMayNotLoosenTheWindow_AnAdminStartsWithOverrides_AndSeesCyclesArrive()
    {
        var (trader, traderErrors) = await Fixture.Open("/flash-arb");
        await trader.Locator("[data-testid=arb-overrides]").FillAsync("ALLOW_WEEKEND_TRADING=1\nTRADING_WINDOW_UTC=00:00-00:00");
        await trader.GetByTestId("arb-start").ClickAsync();
        await Assertions.Expect(trader.GetByTestId("arb-override-error").Filter(new() { HasText = "TRADING_WINDOW_UTC: 00:00-00:00 loosens the configured" })).ToBeVisibleAsync();
        await Assertions.Expect(trader.GetByTestId("arb-state")).ToHaveTextAsync("STOPPED");
        Assert.Empty(traderErrors);

        var (page, errors) = await Fixture.Open("/flash-arb", key: BrowserFixture.AdminKey);
        await Assertions.Expect(page.GetByTestId("arb-state")).ToHaveTextAsync("STOPPED");

        await page.Locator("[data-testid=arb-overrides]").FillAsync("ALLOW_WEEKEND_TRADING=1\nTRADING_WINDOW_UTC=00:00-00:00");
        await page.GetByTestId("arb-start").ClickAsync();

        await Assertions.Expect(page.GetByTestId("arb-state")).ToHaveTextAsync("RUNNING", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-testid=arb-cycle][data-outcome=completed]").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=arb-guard][data-guard=window]")).ToHaveAttributeAsync("data-open", "true");
        await Assertions.Expect(page.GetByTestId("arb-cycles")).ToContainTextAsync("local-");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "flash-arb.png"), FullPage = true });

        await page.GetByTestId("arb-diagnose").ClickAsync();
        await Assertions.Expect(page.GetByTestId("arb-diagnostics")).ToContainTextAsync("All checks passed");
        await page.GetByTestId("arb-stop").ClickAsync();
        await Assertions.Expect(page.GetByTestId("arb-state")).ToHaveTextAsync("STOPPED", new() { Timeout = 10_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ABadOverride_IsRefusedByName_AndTheOrchestratorStaysStopped()
    {
        var (page, errors) = await Fixture.Open("/flash-arb");

        await page.Locator("[data-testid=arb-overrides]").FillAsync("SPREAD_MIN=cheap\nLENDER_KEY=0x01");
        await page.GetByTestId("arb-start").ClickAsync();

        await Assertions.Expect(page.GetByTestId("arb-override-error").Filter(new() { HasText = "SPREAD_MIN: 'cheap' is not a number" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("arb-override-error").Filter(new() { HasText = "LENDER_KEY: cannot be overridden at start" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("arb-state")).ToHaveTextAsync("STOPPED");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AViewer_SeesGuardsAndCycles_ButNoControls()
    {
        var (page, errors) = await Fixture.Open("/flash-arb", key: BrowserFixture.ViewerKey);

        await Assertions.Expect(page.GetByTestId("arb-guards")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("arb-cycles")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("arb-controls")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
