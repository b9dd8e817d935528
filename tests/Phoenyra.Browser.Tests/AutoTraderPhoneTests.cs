using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>
/// The auto-trader as a strategy, on a phone in the light theme: halted by its kill switch (telemetry
/// 200 s old) it says so in red with the reason, for a viewer and a trader; only the trader has the
/// switch (off while halted) and the kill switch's reset. And the Ops page's revoke option on a phone, for an admin.
/// </summary>
public sealed class AutoTraderPhoneTests(AutoTraderPhoneTests.HaltedAutoTrader fixture) : BrowserTest(fixture), IClassFixture<AutoTraderPhoneTests.HaltedAutoTrader>
{
    public sealed class HaltedAutoTrader : BrowserFixture
    {
        private const string DeviceKey = "browser-site-1-device-key-0123456789";

        public HaltedAutoTrader()
        {
            Desk.AddKey("site-1", "device", DeviceKey); // the battery itself, whose last reading is 200 s old
            Desk.Environment["Phoenyra__Bess__Simulator__Enabled"] = "false";
        }

        /// <summary>Stale telemetry, then the auto-trader switched on by the trader: once, for every test of the class.</summary>
        public Task HaltIt() => Once(async () =>
        {
            using var trader = Desk.Client(TraderKey);
            (await Desk.Client(DeviceKey).PostAsJsonAsync("/telemetry/bess", new { soc_percent = 60.0, active_power_mw = 0.0, temperature_c = 25.0, ts = DateTimeOffset.UtcNow.AddSeconds(-200) }))
                .EnsureSuccessStatusCode();
            (await trader.PostAsJsonAsync("/api/bess/autotrader", new { enabled = true })).EnsureSuccessStatusCode();
            for (var i = 0; i < 100 && (await trader.GetFromJsonAsync<JsonElement>("/api/bess/autotrader")).GetProperty("state").GetString() != "halted"; i++)
                await Task.Delay(100);
        });
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("trader")]
    public async Task AHaltedAutoTrader_SaysWhyInRed_AndOnlyTheTraderHasItsSwitch(string role)
    {
        await fixture.HaltIt();
        var (page, errors) = await Fixture.Open("/bess", 390, 844, role == "viewer" ? BrowserFixture.ViewerKey : BrowserFixture.TraderKey);
        await page.EvaluateAsync("() => phoenyra.theme.set('light')");

        var panel = page.GetByTestId("autotrader-panel");
        await Assertions.Expect(panel.GetByTestId("autotrader-state")).ToHaveTextAsync("HALTED", new() { Timeout = 10_000 });
        await Assertions.Expect(panel.GetByTestId("autotrader-activity")).ToContainTextAsync("halted by its kill switch: stale_telemetry");
        await Assertions.Expect(panel.GetByRole(AriaRole.Switch)).ToHaveCountAsync(role == "trader" ? 1 : 0);
        await Assertions.Expect(page.GetByTestId("grid-alert")).ToContainTextAsync("HALTED by stale_telemetry");
        await Assertions.Expect(page.GetByTestId("grid-reset")).ToHaveCountAsync(role == "trader" ? 1 : 0);
        await Fits(page, $"autotrader-halted-{role}-390-light.png");
        await panel.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"autotrader-panel-{role}-390-light.png") });
        await page.GetByTestId("grid-kill-switch").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, $"autotrader-kill-switch-{role}-390-light.png") });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheRevokeOption_FitsAPhone_ForAnAdmin()
    {
        var (page, errors) = await Fixture.Open("/ops", 390, 844, BrowserFixture.AdminKey);
        await page.EvaluateAsync("() => phoenyra.theme.set('light')");

        await Assertions.Expect(page.GetByTestId("keys-panel")).ToContainTextAsync("Revoking also cancels the key's resting orders");
        await Fits(page, "ops-keys-admin-390-light.png");
        await page.GetByTestId("keys-panel").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "ops-keys-panel-admin-390-light.png") });
        Assert.Empty(errors);
    }
}
