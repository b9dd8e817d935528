using System.Net.Http.Json;
using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The Hedge Grid page on the live demo desk: a trader runs the default grid; a second, touchy grid shows a kill-switch trip.</summary>
public sealed class HedgeGridPageTests(HedgeGridPageTests.TouchyDesk fixture) : BrowserTest(fixture), IClassFixture<HedgeGridPageTests.TouchyDesk>
{
    /// <summary>The browser desk plus <c>hedge-grid-touchy</c>, whose kill switch trips at 1 EUR of inventory a side.</summary>
    public sealed class TouchyDesk : BrowserFixture
    {
        public TouchyDesk()
        {
            Desk.Environment["Phoenyra__Strategies__Instances__2__Id"] = "hedge-grid-touchy";
            Desk.Environment["Phoenyra__Strategies__Instances__2__Market"] = "DE-ID-15";
            Desk.Environment["Phoenyra__Strategies__Instances__2__KillSwitch__MaxInventoryPerSideEur"] = "1";
        }
    }

    private static ILocator Rungs(IPage page, string side) => page.Locator($"[data-testid=grid-rung][data-side={side}]");

    [Fact]
    public async Task ATrader_StartsTheGrid_SeesBothSides_ThrottlesIt_AndFlattensAfterConfirming()
    {
        var (page, errors) = await Fixture.Open("/hedge-grid");
        await page.GetByTestId("grid-start").ClickAsync();
        await Assertions.Expect(page.GetByTestId("grid-state")).ToHaveTextAsync("RUNNING", new() { Timeout = 10_000 });
        await Assertions.Expect(Rungs(page, "long")).ToHaveCountAsync(5, new() { Timeout = 10_000 });
        await Assertions.Expect(Rungs(page, "short")).ToHaveCountAsync(5);
        await Assertions.Expect(page.GetByTestId("grid-ladder-mid")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "hedge-grid.png"), FullPage = true });

        await page.Locator("[data-testid=grid-throttle-value] input").FillAsync("0.4");
        await page.Locator("[data-testid=grid-throttle-value] input").PressAsync("Tab");
        await page.GetByTestId("grid-throttle-apply").ClickAsync();
        await Assertions.Expect(Rungs(page, "long")).ToHaveCountAsync(2, new() { Timeout = 10_000 }); // ⌈5 × 0.4⌉
        await Assertions.Expect(Rungs(page, "short")).ToHaveCountAsync(2);

        await page.GetByTestId("grid-flatten-both").ClickAsync();
        await page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Flatten", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("grid-state")).ToHaveTextAsync("STOPPED", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("grid-ladder-empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("grid-ladder-empty")).ToContainTextAsync("not quoting");
        await Assertions.Expect(page.GetByTestId("grid-long")).ToContainTextAsync("MW · 0 EUR");
        await Assertions.Expect(page.GetByTestId("grid-short")).ToContainTextAsync("MW · 0 EUR");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AViewer_SeesTheGrid_ButNoControls()
    {
        var (page, errors) = await Fixture.Open("/hedge-grid", key: BrowserFixture.ViewerKey);

        await Assertions.Expect(page.GetByTestId("grid-state")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("grid-kill-switch")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("grid-controls")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("grid-start")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ASellSweep_TripsTheKillSwitch_ThePageShowsTheAlert_AndStartWaitsForAReset()
    {
        var (page, errors) = await Fixture.Open("/hedge-grid?id=hedge-grid-touchy");
        await page.GetByTestId("grid-start").ClickAsync();
        // Quoting, or already tripped: a demo tick of 0.4 EUR can fill a long rung before the page shows it resting.
        var quotingOrTripped = page.Locator("[data-testid=grid-rung][data-side=long][data-state=resting]")
            .Or(page.GetByTestId("grid-state").Filter(new() { HasText = "HALTED" }));
        await Assertions.Expect(quotingOrTripped).Not.ToHaveCountAsync(0, new() { Timeout = 10_000 });

        // A 25 MW market sell walks down the bids, the grid's long rungs among them: a crash in the paper market.
        // (The demo prices may trip it a moment earlier; either way the first long fill is above the 1 EUR limit.)
        using var trader = new HttpClient { BaseAddress = new Uri(Fixture.Desk.BaseUrl) };
        trader.DefaultRequestHeaders.Add("X-API-Key", BrowserFixture.TraderKey);
        var sweep = await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "sell", quantity = 25, type = "market" });
        Assert.True(sweep.IsSuccessStatusCode, await sweep.Content.ReadAsStringAsync());

        await Assertions.Expect(page.GetByTestId("grid-state")).ToHaveTextAsync("HALTED", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("grid-alert")).ToContainTextAsync("HALTED by inventory");
        await Assertions.Expect(page.GetByTestId("grid-alert")).ToContainTextAsync("positions closed");
        await Assertions.Expect(page.Locator(".rz-notification-item", new() { HasText = "Kill switch" })).ToContainTextAsync("inventory");
        await Assertions.Expect(page.GetByTestId("grid-long")).ToContainTextAsync("MW · 0 EUR", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("grid-start")).ToBeDisabledAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "hedge-grid-halted.png"), FullPage = true });
        var refused = await trader.PostAsync("/api/strategies/hedge-grid-touchy/start", null);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);

        // Four eyes: the trader who started it may not sign the halt off; an admin may.
        await page.GetByTestId("grid-reset-reason").FillAsync("sweep drill");
        await page.GetByTestId("grid-reset").ClickAsync();
        await Assertions.Expect(page.Locator(".rz-notification-item", new() { HasText = "Reset refused" })).ToContainTextAsync("four eyes");
        await Assertions.Expect(page.GetByTestId("grid-state")).ToHaveTextAsync("HALTED");
        var (admin, adminErrors) = await Fixture.Open("/hedge-grid?id=hedge-grid-touchy", key: BrowserFixture.AdminKey);
        await admin.GetByTestId("grid-reset-reason").FillAsync("sweep drill");
        await admin.GetByTestId("grid-reset").ClickAsync();
        await Assertions.Expect(admin.GetByTestId("grid-state")).ToHaveTextAsync("STOPPED", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("grid-state")).ToHaveTextAsync("STOPPED", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("grid-start")).ToBeEnabledAsync();
        Assert.Empty(errors);
        Assert.Empty(adminErrors);
    }
}
