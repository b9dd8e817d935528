using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

public sealed class DashboardTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private static readonly PageWaitForFunctionOptions Within20s = new() { Timeout = 20_000, PollingInterval = 100 };

    private Task<(IPage Page, List<string> Errors)> OpenDashboard(int width = 1440, int height = 900) => Fixture.Open("/", width, height);

    [Fact]
    public async Task Dashboard_ClockTicks_ChartReceivesPushedPoints_WithoutConsoleErrors()
    {
        var (page, errors) = await OpenDashboard();
        var clock = page.GetByTestId("utc-clock");
        var firstTime = await clock.InnerTextAsync();

        await page.WaitForFunctionAsync("t => document.querySelector('[data-testid=utc-clock]').innerText !== t", firstTime, Within20s);
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=price-chart]')?.dataset.updates ?? 0) >= 3", null, Within20s);

        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", firstTime);
        Assert.NotEqual(firstTime, await clock.InnerTextAsync());
        var points = int.Parse(await page.GetByTestId("price-chart").GetAttributeAsync("data-points") ?? "0");
        Assert.True(points >= 3, $"chart holds {points} points");
        Assert.True(await page.Locator("[data-testid=price-chart] .apexcharts-series path").CountAsync() > 0, "the chart drew no line");
        Assert.Matches(@"^\d[\d,]*\.\d{2}EUR/MWh$", (await page.GetByTestId("card-price").Locator(".pho-stat-value").InnerTextAsync()).Replace(" ", ""));
        Assert.Equal("Live", await page.Locator("#pho-connection-label").InnerTextAsync());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "dashboard-dark.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task ThemeToggle_SwitchesToLight_AndTheChoiceSurvivesAReload()
    {
        var (page, errors) = await OpenDashboard();
        const string background = "() => getComputedStyle(document.body).backgroundColor";
        Assert.Equal("dark", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
        Assert.Equal("rgb(26, 26, 26)", await page.EvaluateAsync<string>(background));

        await page.GetByTestId("theme-toggle").ClickAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.theme === 'light'", null, Within20s);
        Assert.Equal("rgb(246, 245, 240)", await page.EvaluateAsync<string>(background));

        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, Within20s);
        Assert.Equal("light", await page.EvaluateAsync<string>("() => document.documentElement.dataset.theme"));
        Assert.EndsWith("material.css", await page.Locator("#radzen-theme").GetAttributeAsync("href"));

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "dashboard-light.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task PhoneWidth_FitsWithoutHorizontalScrolling()
    {
        var (page, errors) = await OpenDashboard(390, 844);

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");

        Assert.True(overflow <= 1, $"the page is {overflow}px wider than a phone screen");
        Assert.True(await page.GetByTestId("price-chart").IsVisibleAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "dashboard-phone.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Navigation_ReachesEveryArea()
    {
        var (page, errors) = await OpenDashboard();

        foreach (var (text, path) in new[] { ("Trading", "/trading"), ("BESS", "/bess"), ("Hedge Grid", "/hedge-grid"), ("Flash Arb", "/flash-arb"), ("Ops", "/ops"), ("Dashboard", "/") })
        {
            await page.Locator(".pho-nav").GetByText(text, new() { Exact = true }).ClickAsync();
            await page.WaitForURLAsync(Fixture.Desk.BaseUrl + path);
            // The URL changes before the new page renders; the assertion retries until the heading matches.
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(text == "Dashboard" ? "Desk overview" : text);
        }
        // A circuit error shows in the console; the desk's log says which component threw.
        Assert.True(errors.Count == 0, string.Join("\n", errors) + "\n--- desk log ---\n" + Fixture.Desk.Output[^Math.Min(Fixture.Desk.Output.Length, 6000)..]);
    }

    [Fact]
    public async Task ApiDocs_RenderTheOperations()
    {
        var (page, errors) = await Fixture.NewPage();
        await page.GotoAsync(Fixture.Desk.BaseUrl + "/docs"); // no circuit on this page

        await Assertions.Expect(page.Locator(".opblock").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.True(await page.Locator(".opblock-summary-path[data-path='/api/orders']").CountAsync() >= 1);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "api-docs.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheOpsPage_WritesDurationsInWords_AndCountsAsIntegers()
    {
        var (page, errors) = await Fixture.Open("/ops");

        await Assertions.Expect(page.GetByTestId("ops-uptime")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+ (s|min|h \d\d min|d \d\d h)"));
        await Assertions.Expect(page.GetByTestId("ops-gc").Locator(".pho-ticker")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[\d,]+$"));
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData(1440, 900)]
    [InlineData(390, 844)]
    public async Task TheSignInCard_IsCentred(int width, int height)
    {
        var (page, _) = await Fixture.NewPage(width, height);
        await page.GotoAsync(Fixture.Desk.BaseUrl + "/login");

        var card = await page.Locator(".pho-login-card").BoundingBoxAsync();

        Assert.Equal(width / 2.0, card!.X + card.Width / 2, 2);
        Assert.True(card.X >= 0 && card.X + card.Width <= width, "the card leaves the screen");
    }
}
