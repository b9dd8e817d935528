using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

public sealed class ConnectionTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task ADrop_GreysTheScreenWithItsTime_DisablesTheTicket_AndAllRecoversWhenTheDeskIsBack()
    {
        var (page, _) = await Fixture.Open("/trading");
        var submit = page.GetByTestId("order-submit");
        Assert.Equal("auto", await submit.EvaluateAsync<string>("e => getComputedStyle(e).pointerEvents"));
        await Assertions.Expect(page.GetByTestId("as-of")).ToBeHiddenAsync();

        Fixture.Desk.Kill();
        await page.WaitForFunctionAsync("() => ['reconnecting', 'offline'].includes(document.documentElement.dataset.connection)", null, new() { Timeout = 30_000 });
        Assert.Contains(await page.Locator("#pho-connection-label").InnerTextAsync(), new[] { "Reconnecting…", "Offline" });
        await Assertions.Expect(page.GetByTestId("as-of")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^as of \d\d:\d\d:\d\d UTC$"));
        Assert.Equal("none", await submit.EvaluateAsync<string>("e => getComputedStyle(e).pointerEvents"));
        Assert.True(await page.GetByTestId("quote-board").EvaluateAsync<double>("e => Number(getComputedStyle(e).opacity)") < 1, "live values stay bright while offline");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "connection-lost.png") });

        await Fixture.Desk.Start();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 60_000, PollingInterval = 200 });
        await Assertions.Expect(page.GetByTestId("as-of")).ToBeHiddenAsync();
        Assert.Equal("auto", await submit.EvaluateAsync<string>("e => getComputedStyle(e).pointerEvents"));

        var clock = await page.GetByTestId("utc-clock").InnerTextAsync();
        await page.WaitForFunctionAsync("t => document.querySelector('[data-testid=utc-clock]').innerText !== t", clock, new() { Timeout = 10_000 });
    }
}
