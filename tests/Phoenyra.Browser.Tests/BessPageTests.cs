using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Browser.Tests;

public sealed class BessPageTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task LowSocPreset_TurnsTheSellGuardOn_TheOrderFormBlocksSells_AndTheDeskRefusesThem()
    {
        // In Production only an admin may post a reading in place of the battery (with DashboardOverrides on).
        var (page, errors) = await Fixture.Open("/bess", key: BrowserFixture.AdminKey);

        await page.GetByTestId("preset-low").ClickAsync();

        var badge = page.Locator("[data-guard='soc-low']");
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-active", "true", new() { Timeout = 10_000 });
        await Assertions.Expect(badge).ToContainTextAsync("SELL blocked");
        await Assertions.Expect(page.GetByTestId("bess-soc")).ToContainTextAsync("12.0");
        await Assertions.Expect(badge).ToContainTextAsync("on below 15 % SoC");
        await Assertions.Expect(page.GetByTestId("simulator-paused")).ToContainTextAsync("Simulator holding your reading until");
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=telemetry-chart]')?.dataset.updates ?? 0) >= 1", null, new() { Timeout = 10_000 });

        using var http = new HttpClient { BaseAddress = new Uri(Fixture.Desk.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-API-Key", BrowserFixture.TraderKey);
        var sell = await http.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "sell", quantity = 0.1, price = 120, tif = "ioc" });
        Assert.Equal("side_blocked", (await sell.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "bess-guard.png"), FullPage = true });

        // The trader's order form says so, and will not send a sell.
        await page.GetByRole(AriaRole.Link, new() { Name = "Trading" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-guard-sell")).ToContainTextAsync("SELL blocked", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("order-guard-buy")).ToHaveCountAsync(0);
        await page.GetByTestId("order-side").GetByText("Sell (blocked)").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-submit")).ToBeDisabledAsync();
        await page.GetByTestId("order-side").GetByText("Buy", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-submit")).ToBeEnabledAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "trading-sell-blocked.png") });

        // Back on the BESS page the hold can be ended; the simulator continues from the reading.
        await page.GetByRole(AriaRole.Link, new() { Name = "BESS" }).ClickAsync();
        await page.GetByTestId("simulator-resume").ClickAsync();
        await Assertions.Expect(page.GetByTestId("simulator-paused")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        Assert.Empty(errors);
    }

    [Fact, Trait("Category", SharedData.Category)]
    public async Task Optimiser_RunsOnTheSharedPrices_AndChartsThePlan()
    {
        var (page, errors) = await Fixture.Open("/bess");

        await page.GetByTestId("run-optimiser").ClickAsync();

        await Assertions.Expect(page.GetByTestId("opt-revenue")).ToContainTextAsync("91,977.31", new() { Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => Number(document.querySelector('[data-testid=optimiser-chart]').dataset.rendered ?? 0) >= 1", null, new() { Timeout = 10_000 });
        Assert.True(await page.Locator("[data-testid=optimiser-chart] .apexcharts-series").CountAsync() >= 3);
        // 91,977.31 EUR for 1 MW over the year; 12 months; the week moves with ◀ ▶; the plan downloads as CSV.
        await Assertions.Expect(page.GetByTestId("opt-per-mw-year")).ToContainTextAsync("91,977");
        // The SMARD year starts at local midnight: 2024-12-31 23:00 UTC, so the UTC months are 13.
        await Assertions.Expect(page.Locator("[data-testid=opt-months] tbody tr")).ToHaveCountAsync(13);
        await Assertions.Expect(page.Locator("[data-testid=opt-months] tbody tr").Last).ToContainTextAsync("2025-12");
        await Assertions.Expect(page.GetByTestId("week-label")).ToContainTextAsync("week of 2024-12-31");
        await page.GetByTestId("week-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("week-label")).ToContainTextAsync("week of 2025-01-07");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("opt-export").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal("timestamp_utc,price_eur_mwh,charge_mw,discharge_mw,soc_mwh", csv[0]);
        Assert.Equal(8761, csv.Length);
        await page.GetByTestId("optimiser-chart").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "bess-optimiser.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheOptimiser_SaysWhereFilesComeFrom_ShowsRangeErrors_AndExplainsABadUpload()
    {
        var (page, errors) = await Fixture.Open("/bess");
        await Assertions.Expect(page.GetByTestId("price-source")).ToContainTextAsync("timestamp_utc");

        var power = page.Locator("[data-testid=opt-power] input");
        await power.FillAsync("5000");
        await power.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("error-power")).ToContainTextAsync("0.1..1000 MW");
        await Assertions.Expect(page.GetByTestId("run-optimiser")).ToBeDisabledAsync();
        // The page re-renders every second with telemetry; a value typed during a render can be drawn over, so type it until it sticks.
        for (var attempt = 1; ; attempt++)
        {
            await power.FillAsync("1");
            await power.PressAsync("Tab");
            try
            {
                await Assertions.Expect(page.GetByTestId("error-power")).ToHaveCountAsync(0, new() { Timeout = 2_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3) { }
        }

        await page.Locator("[data-testid=price-upload]").SetInputFilesAsync(new FilePayload
        {
            Name = "prices.csv", MimeType = "text/csv",
            Buffer = System.Text.Encoding.UTF8.GetBytes("time,price\n2025-01-01T00:00:00Z,80\n"),
        });
        await Assertions.Expect(page.GetByTestId("optimiser-error")).ToContainTextAsync("prices.csv refused: Line 1: the header must name timestamp_utc and price_eur_mwh");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task SwitchingTheAutoTraderOn_IsConfirmed_ItShowsItsForecastAndPlan_AndTrades()
    {
        var (page, errors) = await Fixture.Open("/bess");
        var activity = page.GetByTestId("autotrader-activity");
        await Assertions.Expect(activity).ToContainTextAsync("switched off");

        await page.GetByLabel("Switch the auto-trader").ClickAsync();

        await Assertions.Expect(page.Locator(".rz-notification-item").Filter(new() { HasText = "Auto-trader on" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(activity).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^(trading|idle|denied|waiting)"));
        await Assertions.Expect(activity).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"next plan \d\d:\d\d:\d\d UTC"));
        await Assertions.Expect(page.GetByTestId("planned-power").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"MW \((charge → BUY|discharge → SELL|hold)\)"));

        // The fixture's day-ahead curve is dear all day: the plan charges now, sells later, and the order fills.
        await Assertions.Expect(page.GetByTestId("autotrader-forecast")).ToHaveAttributeAsync("data-kind", "day-ahead");
        await Assertions.Expect(page.GetByTestId("autotrader-forecast")).ToContainTextAsync("csv:day-ahead.csv");
        await Assertions.Expect(page.GetByTestId("plan-ahead-row").First).ToContainTextAsync("charge → BUY");
        await Assertions.Expect(page.GetByTestId("plan-ahead-row").Filter(new() { HasText = "discharge → SELL" })).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=autotrader-trades] tbody tr").First).ToContainTextAsync("BUY", new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "bess-autotrader.png"), FullPage = true });

        await page.GetByLabel("Switch the auto-trader").ClickAsync();
        await Assertions.Expect(activity).ToContainTextAsync("switched off", new() { Timeout = 10_000 });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheEnvelopeAndImbalance_ShowWhatTheBatteryCanStillDeliver_AndWhatDeviationsCost()
    {
        var (page, errors) = await Fixture.Open("/bess", 390, 844, BrowserFixture.ViewerKey); // a phone, light theme
        await page.EvaluateAsync("() => phoenyra.theme.set('light')");

        var hours = page.Locator("[data-testid='envelope-DE-ID-60'] [data-testid=envelope-row]");
        await Assertions.Expect(hours).ToHaveCountAsync(6, new() { Timeout = 10_000 });
        await Assertions.Expect(hours.First.Locator("td").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:00–\d\d:00$"));
        var maxSell = TradingScreen.Number(await hours.First.Locator("td").Nth(1).InnerTextAsync());
        Assert.InRange(maxSell, 0m, 5m); // the demo battery's rating
        await Assertions.Expect(page.Locator("[data-testid='envelope-DE-ID-15'] [data-testid=envelope-row]")).ToHaveCountAsync(6);
        // Imbalance settles whole quarter-hours: on a desk minutes old, the panel says so and shows the cost so far.
        await Assertions.Expect(page.GetByTestId("imbalance-total")).ToContainTextAsync("EUR");
        await Assertions.Expect(page.GetByTestId("imbalance-panel")).ToContainTextAsync("proxy market");
        foreach (var panel in new[] { "envelope-panel", "imbalance-panel", "autotrader-panel" })
            await page.GetByTestId(panel).ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"{panel}-390-light.png") });
        Assert.Empty(errors);
    }
}
