using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Browser.Tests;

/// <summary>
/// What a battery guard and a failed unwind look like on the strategy pages, on a phone in the light
/// theme, for a viewer and a trader. The site here is (mis)configured to deliver into the GBP futures
/// market too, the futures leg is replayed at 200 GBP so the flash arb trades at once, and the arb may
/// send one order every 2 s to GB-SPOT-30: at 12 % SoC its futures sale is refused by the
/// battery's guard, its unwind by the rate limit, the cycle is <c>unwind_failed</c> and the arb halts.
/// </summary>
public sealed class GuardPagesTests(GuardPagesTests.GbSite fixture) : BrowserTest(fixture), IClassFixture<GuardPagesTests.GbSite>
{
    public sealed class GbSite : BrowserFixture
    {
        public GbSite()
        {
            ReplayGbFuturesAt(200);
            var policy = Path.Combine(Path.GetTempPath(), $"phoenyra-guard-pages-policy-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(policy, File.ReadAllText(RepoPaths.File("policy.yaml")).Replace("  GB-SPOT-30:\n", "  GB-SPOT-30:\n    key_rate_per_second: 0.5\n    key_burst: 1\n"));
            Desk.Environment["Phoenyra__Trading__PolicyFile"] = policy;
            foreach (var (market, i) in new[] { "DE-ID-15", "DE-ID-60", "GB-BASE-M" }.Select((m, i) => (m, i)))
                Desk.Environment[$"Phoenyra__Bess__Sites__0__Markets__{i}"] = market;
        }

        /// <summary>Low SoC, then the arb started by an admin: once, for every test of the class.</summary>
        public Task HaltTheArbOnAFailedUnwind() => Once(async () =>
        {
            using var admin = Desk.Client(AdminKey);
            (await admin.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 12.0, active_power_mw = 0.0, temperature_c = 25.0 })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync("/api/flash-arb/start", new { overrides = new Dictionary<string, object> { ["ALLOW_WEEKEND_TRADING"] = true, ["TRADING_WINDOW_UTC"] = "00:00-00:00" } })).EnsureSuccessStatusCode();
            for (var i = 0; i < 300 && (await admin.GetFromJsonAsync<JsonElement>("/api/strategies/flash-arb-1")).GetProperty("state").GetString() != "halted"; i++)
                await Task.Delay(100);
            var arb = await admin.GetStringAsync("/api/strategies/flash-arb-1");
            if (!arb.Contains("\"state\":\"halted\""))
                Assert.Fail($"the arb did not halt in 30 s: {arb}\ncycles: {await admin.GetStringAsync("/trades?limit=5")}\nbess: {await admin.GetStringAsync("/api/bess-status")}");
        });
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("trader")]
    public async Task OnAPhoneInTheLightTheme_TheArbShowsItsNakedLegInRed_AndEveryStrategyPageSaysWhatBlocksItsOrders(string role)
    {
        await fixture.HaltTheArbOnAFailedUnwind();
        var (page, errors) = await Fixture.Open("/flash-arb", 390, 844, role == "viewer" ? BrowserFixture.ViewerKey : BrowserFixture.TraderKey);
        await page.EvaluateAsync("() => phoenyra.theme.set('light')");

        await Assertions.Expect(page.GetByTestId("arb-state")).ToHaveTextAsync("HALTED", new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("arb-open-legs")).ToContainTextAsync("long on GB-SPOT-30");
        await Assertions.Expect(page.GetByTestId("grid-alert")).ToContainTextAsync("HALTED by unwind_failed");
        await Assertions.Expect(page.Locator("[data-testid=arb-cycle][data-outcome=unwind_failed]").First).ToHaveClassAsync("pho-row-failed");
        await Assertions.Expect(page.Locator("[data-testid=order-block][data-market=GB-BASE-M][data-side=sell]")).ToContainTextAsync("SELL blocked in DE-ID-15, DE-ID-60, GB-BASE-M by bess");
        await Fits(page, $"guard-flash-arb-{role}-390-light.png");
        await page.GetByTestId("arb-cycles").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"guard-flash-arb-cycles-{role}-390-light.png") });

        await page.GotoAsync(Fixture.Desk.BaseUrl + "/hedge-grid");
        await Assertions.Expect(page.Locator("[data-testid=order-block][data-market=DE-ID-15][data-side=sell]")).ToContainTextAsync("SoC 12 % is below 15 %");
        await Fits(page, $"guard-hedge-grid-{role}-390-light.png");

        await page.GotoAsync(Fixture.Desk.BaseUrl + "/bess");
        await Assertions.Expect(page.Locator("[data-guard=soc-low] [data-testid=guard-markets]")).ToContainTextAsync("in DE-ID-15, DE-ID-60, GB-BASE-M");
        await Fits(page, $"guard-bess-{role}-390-light.png");
        Assert.Empty(errors);
    }
}
