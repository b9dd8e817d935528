using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>
/// An operator signed in on the leader stays signed in when the standby takes over: the desks share one key ring
/// in the store, so the sign-in cookie (sent to either desk, both on 127.0.0.1) opens the new leader's dashboard,
/// which now offers the order ticket and lists the orders the old leader took.
/// </summary>
public sealed class TakeoverSessionTests(StandbyDashboardTests.TwoDesks fixture) : BrowserTest(fixture), IClassFixture<StandbyDashboardTests.TwoDesks>
{
    [Fact]
    public async Task ASignInOnTheLeader_StaysSignedIn_OnTheStandbyThatTakesOver()
    {
        var (page, errors) = await Fixture.NewPage();
        await page.GotoAsync($"{fixture.Leader.BaseUrl}/login?return_url=%2Ftrading");
        await page.Locator("#api_key").FillAsync(BrowserFixture.TraderKey);
        await page.Locator("[data-testid=login-form] button[type=submit]").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/trading", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("order-entry")).ToBeVisibleAsync();

        fixture.Leader.Kill();
        await fixture.Desk.WaitUntilLeader(TimeSpan.FromSeconds(30));
        await page.GotoAsync("about:blank");
        lock (errors) errors.Clear(); // the killed leader's circuit dropped, as it should
        await page.GotoAsync($"{fixture.Desk.BaseUrl}/trading");
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000 });

        Assert.Equal("/trading", new Uri(page.Url).AbsolutePath); // not sent to /login
        await Assertions.Expect(page.GetByTestId("order-entry")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("standby-banner")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("order-price-cell").Or(page.GetByTestId("order-cards")).First).ToContainTextAsync("12.34");
        Assert.Empty(errors);
    }
}
