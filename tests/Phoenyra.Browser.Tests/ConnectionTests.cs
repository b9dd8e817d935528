using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

public sealed class ConnectionTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ConnectionIndicator_ShowsTheDrop_AndRecoversWhenTheDeskIsBack()
    {
        var (page, _) = await Fixture.Open("/");

        Fixture.Desk.Kill();
        await page.WaitForFunctionAsync("() => ['reconnecting', 'offline'].includes(document.documentElement.dataset.connection)", null, new() { Timeout = 30_000 });
        Assert.Contains(await page.Locator("#pho-connection-label").InnerTextAsync(), new[] { "Reconnecting…", "Offline" });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "connection-lost.png") });

        await Fixture.Desk.Start();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 60_000, PollingInterval = 200 });

        var clock = await page.GetByTestId("utc-clock").InnerTextAsync();
        await page.WaitForFunctionAsync("t => document.querySelector('[data-testid=utc-clock]').innerText !== t", clock, new() { Timeout = 10_000 });
    }
}
