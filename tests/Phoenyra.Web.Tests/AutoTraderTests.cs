using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Sites;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The battery's plan becomes orders through the risk engine: planned vs executed, guards apply. The
/// auto-trader is a strategy: on the strategies API, halted by its kill switch (stale telemetry) and
/// stopped by the desk's.
/// </summary>
public sealed class AutoTraderTests
{
    // Yesterday the current quarter-hour was the day's peak and the rest of the day was cheap: the plan sells now.
    private static async Task SeedPrices(DeskFactory desk)
    {
        var bus = desk.Services.GetRequiredService<IBus>();
        var now = DateTimeOffset.UtcNow;
        for (var k = 0; k < 96; k++)
            await bus.Publish(new ReferencePriceUpdated("DE-ID-15", k == 0 ? 200m : 20m, now.AddDays(-1).AddMinutes(15 * k), "test"));
        await bus.Publish(new ReferencePriceUpdated("DE-ID-15", 200m, now, "test"));
    }

    /// <summary>The battery reports <paramref name="socPercent"/> (dated <paramref name="readAt"/>), yesterday's prices make now the peak, and a trader switches the auto-trader on.</summary>
    private static async Task<HttpResponseMessage> SwitchOn(DeskFactory desk, double socPercent, DateTimeOffset? readAt = null)
    {
        await desk.ClientWithKey(DeskFactory.DeviceKey).PostAsJsonAsync("/telemetry/bess", new { soc_percent = socPercent, active_power_mw = 0.0, temperature_c = 25.0, ts = readAt });
        await SeedPrices(desk);
        return await desk.ClientWithKey(DeskFactory.TraderKey).PostAsJsonAsync("/api/bess/autotrader", new { enabled = true });
    }

    private static async Task<JsonElement> Status(HttpClient viewer) => await viewer.GetFromJsonAsync<JsonElement>("/api/bess/autotrader");

    [Fact]
    public async Task Enabled_ItSellsThePlannedDischarge_AgainstTheBook_AndReportsPlannedVersusExecuted()
    {
        using var desk = new DeskFactory();
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        Assert.False((await Status(viewer)).GetProperty("enabled").GetBoolean());

        var switched = await SwitchOn(desk, socPercent: 60);
        Assert.True((await switched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());

        JsonElement period = default;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var periods = (await Status(viewer)).GetProperty("periods");
            if (periods.GetArrayLength() > 0 && (period = periods[0]).GetProperty("executed_mw").GetDouble() > 0) break;
            await Task.Delay(50, timeout.Token);
        }
        var rating = desk.Services.GetRequiredService<IOptions<BessOptions>>().Value.DefaultSite.PowerMw;
        Assert.Equal(rating, period.GetProperty("planned_mw").GetDouble(), 6);   // full discharge at the forecast peak
        Assert.Equal(rating, period.GetProperty("executed_mw").GetDouble(), 6);
        var trades = await viewer.GetFromJsonAsync<JsonElement>("/api/trades?market=DE-ID-15");
        Assert.Contains(trades.GetProperty("trades").EnumerateArray(), t => t.GetProperty("taker_account").GetString() == "bess-autotrader");
        var audit = await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/audit?action=autotrader.enable");
        Assert.Equal("test-trader", audit.GetProperty("entries")[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task AGuard_DeniesThePlannedOrder_AndTheDenialIsShown()
    {
        using var desk = new DeskFactory();

        await SwitchOn(desk, socPercent: 12);

        var period = (await Status(desk.ClientWithKey(DeskFactory.ViewerKey))).GetProperty("periods")[0];
        Assert.True(period.GetProperty("planned_mw").GetDouble() > 0);
        Assert.Equal(0, period.GetProperty("executed_mw").GetDouble());
        Assert.StartsWith("side_blocked", period.GetProperty("last_denial").GetString());
    }

    [Fact]
    public async Task ItIsAStrategy_TelemetryOlderThanItsLimitHaltsIt_AndAHaltedAutoTraderCannotBeSwitchedOn()
    {
        using var desk = new DeskFactory();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var listed = await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/api/strategies");
        Assert.Contains(listed.GetProperty("strategies").EnumerateArray(), s => s.GetProperty("id").GetString() == "bess-autotrader" && s.GetProperty("kind").GetString() == "bess-autotrader");

        Assert.True((await SwitchOn(desk, socPercent: 60, readAt: DateTimeOffset.UtcNow.AddSeconds(-200))).IsSuccessStatusCode);

        var status = await StatusOnceNot(desk, "running");
        Assert.Equal("halted", status.GetProperty("state").GetString());
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.Equal("stale_telemetry", status.GetProperty("last_trip").GetProperty("trigger").GetString());
        Assert.StartsWith("halted by its kill switch: stale_telemetry — no telemetry from site-1 for 20", status.GetProperty("activity").GetString());
        var again = await trader.PostAsJsonAsync("/api/bess/autotrader", new { enabled = true });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("halted by its kill switch", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDeskKillSwitch_StopsTheAutoTrader_AndKeepsItOff()
    {
        using var desk = new DeskFactory();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        await SwitchOn(desk, socPercent: 60);

        (await desk.ClientWithKey(DeskFactory.AdminKey).PostAsJsonAsync("/admin/desk/halt", new { reason = "battery fire drill" })).EnsureSuccessStatusCode();

        Assert.Equal("stopped", (await StatusOnceNot(desk, "running")).GetProperty("state").GetString());
        var refused = await trader.PostAsJsonAsync("/api/bess/autotrader", new { enabled = true });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("battery fire drill", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stopped_ItCanStillCloseWhatItHolds_AFlattenBuysBackTheDischargeItSold()
    {
        using var desk = new DeskFactory();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        await SwitchOn(desk, socPercent: 60);
        var sold = 0.0;
        for (var i = 0; i < 100 && (sold = (await Status(trader)).GetProperty("periods")[0].GetProperty("executed_mw").GetDouble()) == 0; i++) await Task.Delay(50);
        Assert.True(sold > 0, "the auto-trader sold nothing");
        await trader.PostAsJsonAsync("/api/bess/autotrader", new { enabled = false });

        var flatten = await (await trader.PostAsJsonAsync("/api/strategies/bess-autotrader/flatten", new { side = "both" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(flatten.GetProperty("flat").GetBoolean(), flatten.ToString());
        Assert.Equal(FormattableString.Invariant($"BUY {sold} MW"), flatten.GetProperty("closing_positions")[0].GetString());
        var trades = await trader.GetFromJsonAsync<JsonElement>("/api/trades?market=DE-ID-15&account=bess-autotrader");
        Assert.Contains(trades.GetProperty("trades").EnumerateArray(), t => t.GetProperty("taker_account").GetString() == "bess-autotrader" && t.GetProperty("aggressor_side").GetString() == "buy");
    }

    private static async Task<JsonElement> StatusOnceNot(DeskFactory desk, string state)
    {
        var status = await Status(desk.ClientWithKey(DeskFactory.ViewerKey));
        for (var i = 0; i < 100 && status.GetProperty("state").GetString() == state; i++, await Task.Delay(100)) status = await Status(desk.ClientWithKey(DeskFactory.ViewerKey));
        return status;
    }

    [Fact]
    public async Task OnlyTradersSwitchIt()
    {
        using var desk = new DeskFactory();

        var response = await desk.ClientWithKey(DeskFactory.ViewerKey).PostAsJsonAsync("/api/bess/autotrader", new { enabled = true });

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }
}
