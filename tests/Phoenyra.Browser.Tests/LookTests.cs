using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The trading, orders, BESS, hedge-grid and flash-arb pages as a viewer and a trader, on a phone and a desk screen, in the light theme: they fit, and a viewer gets no controls.</summary>
public sealed class LookTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("viewer", 390, 844)]
    [InlineData("trader", 390, 844)]
    [InlineData("admin", 390, 844)]
    [InlineData("viewer", 1440, 900)]
    public async Task InTheLightTheme_EveryPageFits_AndAViewerHasNoControls(string role, int width, int height)
    {
        var key = role switch { "viewer" => BrowserFixture.ViewerKey, "admin" => BrowserFixture.AdminKey, _ => BrowserFixture.TraderKey };
        var (page, errors) = await Fixture.Open("/trading", width, height, key);
        await page.EvaluateAsync("() => phoenyra.theme.set('light')");

        foreach (var path in new[] { "/", "/trading", "/orders", "/bess", "/hedge-grid", "/flash-arb", "/ops" })
        {
            await page.GotoAsync(Fixture.Desk.BaseUrl + path);
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000 });
            Assert.Equal("light", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 1, $"{path} is {overflow}px wider than {width}px");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"look-{(path == "/" ? "overview" : path.Trim('/'))}-{role}-{width}-light.png"), FullPage = true });
        }

        await page.GotoAsync(Fixture.Desk.BaseUrl + "/trading");
        await Assertions.Expect(page.GetByTestId("quote-board").Or(page.GetByTestId("order-cards"))).Not.ToHaveCountAsync(0);
        var controls = page.Locator("[data-testid=order-entry], [data-testid=cancel-all], [data-testid=flatten], [data-testid^=cancel-]");
        if (role == "viewer") await Assertions.Expect(controls).ToHaveCountAsync(0);
        else await Assertions.Expect(page.GetByTestId("order-entry")).ToBeVisibleAsync();
        foreach (var (path, panel) in new[] { ("/hedge-grid", "grid-controls"), ("/flash-arb", "arb-controls") })
        {
            await page.GotoAsync(Fixture.Desk.BaseUrl + path);
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000 });
            await Assertions.Expect(page.GetByTestId(panel)).ToHaveCountAsync(role == "viewer" ? 0 : 1);
        }
        await page.GotoAsync(Fixture.Desk.BaseUrl + "/ops");
        await Assertions.Expect(page.GetByTestId("state-set-halted")).ToHaveCountAsync(role == "admin" ? 1 : 0);
        Assert.Empty(errors);
    }
}
