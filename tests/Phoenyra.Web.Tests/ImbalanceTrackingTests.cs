using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>The desk settles each quarter-hour's imbalance: a sale the battery delivered only half of costs the rest at reBAP.</summary>
[Trait("Category", SharedData.Category)]
public sealed class ImbalanceTrackingTests
{
    [Fact]
    public async Task HalfOfAnHoursSaleDelivered_EachQuarterIsShortAndPaysReBap_OnTheDesk()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 1, 16, 50, 0, TimeSpan.Zero));
        using var desk = DeskFactory.WithClock(clock, new Dictionary<string, string?>
        {
            ["Phoenyra:Bess:Imbalance:PriceCsv"] = Path.Combine(SharedData.Folder!, "prices", "DE_reBAP_15min_2025-12_TransnetBW.csv"),
            ["Phoenyra:Bess:Envelope:Accounts:0"] = "test-trader", // the trader's sales are the battery's
            ["Phoenyra:Bess:Envelope:Accounts:1"] = "test-trader",
        });
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 60.0, active_power_mw = 0.0, temperature_c = 25.0 });
        // The hour from 17:00 sold to the simulated market maker's bid.
        var sold = await desk.ClientWithKey(DeskFactory.TraderKey).PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 1, price = 80, tif = "ioc" });
        var answer = await sold.Content.ReadAsStringAsync();
        Assert.True(answer.Contains("\"filled_quantity\":1"), answer);

        clock.Advance(TimeSpan.FromMinutes(10)); // 17:00: the hour sold begins; the battery delivers half
        await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 60.0, active_power_mw = 0.5, temperature_c = 25.0 });
        for (var i = 0; i < 13; i++) clock.Advance(TimeSpan.FromMinutes(5)); // to 18:05, the settlement timer ticking

        JsonElement status = default;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            status = await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/api/bess/imbalance");
            if (status.GetProperty("periods").EnumerateArray().Count(p => p.GetProperty("start").GetDateTimeOffset().Hour == 17) == 4) break;
            clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(20);
        }
        var hour = status.GetProperty("periods").EnumerateArray().Where(p => p.GetProperty("start").GetDateTimeOffset().Hour == 17).OrderBy(p => p.GetProperty("start").GetDateTimeOffset()).ToList();

        Assert.Equal(4, hour.Count);
        Assert.All(hour, p => Assert.Equal(1, p.GetProperty("committed_mw").GetDouble()));
        Assert.All(hour, p => Assert.Equal(0.5, p.GetProperty("metered_mw").GetDouble(), 6));
        Assert.All(hour, p => Assert.Equal(-0.125, p.GetProperty("deviation_mwh").GetDouble(), 6));
        Assert.Equal([32.14, 59.81, 55.51, 57.65], hour.Select(p => p.GetProperty("price_eur").GetDouble()));
        Assert.All(hour, p => Assert.StartsWith("reBAP DE_reBAP_15min_2025-12", p.GetProperty("price_source").GetString()));
        Assert.Equal([4.02, 7.48, 6.94, 7.21], hour.Select(p => p.GetProperty("cost_eur").GetDouble())); // 0.125 MWh × reBAP
    }
}
