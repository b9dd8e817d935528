using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary with the German battery at 12 % SoC and the flash arb trading the GBP markets:
/// the battery's SELL guard acts on the markets it delivers into (DE-ID-15, DE-ID-60), not on the
/// arb's spot and futures legs, so its cycles complete instead of leaving a naked long.
/// </summary>
public sealed class BatteryGuardScopeTests : IAsyncLifetime
{
    private const string TraderKey = "scope-trader-key-0123456789abcdefg";
    private const string DeviceKey = "scope-device-key-0123456789abcdefg";
    private const string AdminKey = "scope-admin-key-0123456789abcdefgh";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["ADMIN_KEY"] = AdminKey;
        _desk.AddKey("site-1", "device", DeviceKey);
        _desk.Environment["Phoenyra__Bess__Simulator__Enabled"] = "false";
        _desk.Environment["Phoenyra__Strategies__Instances__1__BarSeconds"] = "0.25";
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public async Task AtTwelvePercentSoc_SellIsBlockedOnTheBatterysMarketsOnly_AndTheFlashArbCyclesComplete()
    {
        using var device = _desk.Client(DeviceKey);
        using var trader = _desk.Client(TraderKey);
        Assert.Equal(HttpStatusCode.Accepted, (await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 12.0, active_power_mw = 0.0, temperature_c = 25.0 })).StatusCode);

        var status = await trader.GetFromJsonAsync<JsonElement>("/api/bess-status");
        var socLow = status.GetProperty("guards").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "soc-low");
        Assert.True(socLow.GetProperty("active").GetBoolean());
        Assert.Equal(["DE-ID-15", "DE-ID-60"], socLow.GetProperty("markets").EnumerateArray().Select(m => m.GetString()));

        var de = await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "sell", quantity = 0.1, price = 1, tif = "ioc" });
        Assert.Equal((HttpStatusCode)422, de.StatusCode);
        Assert.Contains("SELL blocked in DE-ID-15, DE-ID-60 by bess", (await de.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        foreach (var market in new[] { "GB-SPOT-30", "GB-BASE-M", "DE-BASE-FUT" })
        {
            var sell = await trader.PostAsJsonAsync("/api/orders", new { market, side = "sell", quantity = 0.1, type = "market" });
            Assert.True(sell.StatusCode == HttpStatusCode.OK, $"{market}: {await sell.Content.ReadAsStringAsync()}");
        }

        using var admin = _desk.Client(AdminKey);
        var started = await admin.PostAsJsonAsync("/api/flash-arb/start",
            new { overrides = new Dictionary<string, object> { ["ALLOW_WEEKEND_TRADING"] = true, ["TRADING_WINDOW_UTC"] = "00:00-00:00", ["SPREAD_MIN"] = 0 } });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        // The demo futures price follows spot with a premium that opens about half the time: wait for two cycles that traded.
        JsonElement cycles = default;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            cycles = await trader.GetFromJsonAsync<JsonElement>("/trades?limit=20");
            if (cycles.GetProperty("count").GetInt32() >= 2 && cycles.GetProperty("trades").EnumerateArray().Any(c => c.GetProperty("outcome").GetString() == "completed")) break;
            await Task.Delay(250);
        }

        var traded = cycles.GetProperty("trades").EnumerateArray().ToList();
        Assert.True(traded.Count >= 2, $"no cycle traded in 120 s:\n{_desk.Output}");
        // The demo book moves every 250 ms, so a futures IOC may fill short now and then; the battery's guard never refuses a leg.
        Assert.Contains(traded, c => c.GetProperty("outcome").GetString() == "completed");
        Assert.DoesNotContain(traded, c => c.GetProperty("outcome").GetString() == "unwind_failed");
        Assert.DoesNotContain(traded, c => c.GetRawText().Contains("blocked by bess") || c.GetRawText().Contains("side_blocked"));
        var arb = await trader.GetFromJsonAsync<JsonElement>("/api/strategies/flash-arb-1");
        Assert.Equal("running", arb.GetProperty("state").GetString());
    }
}
