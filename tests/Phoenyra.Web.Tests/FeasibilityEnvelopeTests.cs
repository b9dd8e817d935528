using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>Every order that moves the battery must fit its SoC path: a sale the battery cannot deliver is refused with infeasible_soc.</summary>
public sealed class FeasibilityEnvelopeTests
{
    private static readonly Dictionary<string, string?> OneByTwo = new()
    {
        ["Phoenyra:Bess:Sites:0:PowerMw"] = "1",
        ["Phoenyra:Bess:Sites:0:CapacityMwh"] = "2",
        ["Phoenyra:Bess:Sites:0:SocMinPercent"] = "0",
        ["Phoenyra:Bess:Sites:0:SocMaxPercent"] = "100",
    };

    [Fact]
    public async Task At16PercentSoC_SellingAnHourIsRefused_NamingThePeriodAndTheEnergy_At60PercentItIsAccepted()
    {
        using var desk = DeskFactory.With(OneByTwo);
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        var sale = new { market = "DE-ID-60", side = "sell", quantity = 1, price = 100 };

        await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 16.0, active_power_mw = 0.0, temperature_c = 25.0 });
        await EnvelopeShows(viewer, "DE-ID-60", availableMwh: 0.32);
        var refused = await trader.PostAsJsonAsync("/api/orders", sale);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("infeasible_soc", problem.GetProperty("reason").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Matches(@"^selling 1 MW in \d\d:00–\d\d:00 needs 1\.05 MWh; 0\.32 MWh available above the 0 % floor", detail);

        await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 60.0, active_power_mw = 0.0, temperature_c = 25.0 });
        await EnvelopeShows(viewer, "DE-ID-60", availableMwh: 1.2);
        var accepted = await trader.PostAsJsonAsync("/api/orders", sale);

        Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheDesksOwnAccounts_AreNotTheBatterys_ButTheAutoTraderIs()
    {
        using var desk = DeskFactory.With(OneByTwo);
        await desk.ClientWithKey(DeskFactory.DeviceKey).PostAsJsonAsync("/telemetry/bess", new { soc_percent = 16.0, active_power_mw = 0.0, temperature_c = 25.0 });
        var envelope = await EnvelopeShows(desk.ClientWithKey(DeskFactory.ViewerKey), "DE-ID-15", availableMwh: 0.32);

        Assert.Equal(["*", "bess-autotrader"], envelope.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()!).ToArray());
        var next = envelope.GetProperty("periods")[0];
        Assert.Equal(1m, next.GetProperty("max_sell_mw").GetDecimal()); // a quarter-hour at 1 MW needs 0.26 MWh: it fits
        Assert.Equal(1m, next.GetProperty("max_buy_mw").GetDecimal());
    }

    private static async Task<JsonElement> EnvelopeShows(HttpClient viewer, string market, double availableMwh)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement found = default;
        while (DateTime.UtcNow < deadline)
        {
            var body = await viewer.GetFromJsonAsync<JsonElement>("/api/bess/envelope");
            found = body.GetProperty("markets").EnumerateArray().FirstOrDefault(m => m.GetProperty("market").GetString() == market);
            if (found.ValueKind == JsonValueKind.Object && Math.Abs(found.GetProperty("periods")[0].GetProperty("available_discharge_mwh").GetDouble() - availableMwh) < 1e-6) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"the {market} envelope did not show {availableMwh} MWh: {found}");
    }
}
