using Phoenyra.Bess.Envelope;
using Phoenyra.Bess.Sites;

namespace Phoenyra.Bess.Tests;

/// <summary>The feasibility envelope on a 1 MW / 2 MWh battery (efficiency 0.9487 each way, SoC window 0–100 %).</summary>
public sealed class SocEnvelopeTests
{
    private static readonly SiteOptions Site = new() { Id = "site-1", PowerMw = 1, CapacityMwh = 2, SocMinPercent = 0, SocMaxPercent = 100 };
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 20, 50, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset GridStart = new(2026, 11, 30, 20, 45, 0, TimeSpan.Zero);

    private static IReadOnlyList<Phoenyra.Core.Contracts.EnvelopePeriod> Hours(double soc, double[]? committed = null) =>
        SocEnvelope.For(Site, soc, Now, GridStart, Quarter, committed ?? new double[96], TimeSpan.FromHours(1), 4);

    [Fact]
    public void At16Percent_TheNextHourCannotSellOneMegawatt_At60PercentItCan()
    {
        var low = Hours(16)[0];
        var high = Hours(60)[0];

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.Zero), low.Start); // the next product hour
        Assert.Equal(0.32, low.AvailableDischargeMwh, 9);
        Assert.Equal(1.054, low.SellMwhPerMw, 3);                                          // 1 MW for an hour needs 1.05 MWh
        Assert.InRange(low.MaxSellMw, 0.303m, 0.304m);                                     // 0.32 MWh × 0.9487
        Assert.Equal(1m, high.MaxSellMw);
        Assert.Equal(1m, low.MaxBuyMw);
    }

    [Fact]
    public void CommittedPositions_MoveThePath_ALaterSaleUsesUpTheEnergyAnEarlierOneWouldNeed()
    {
        var committed = new double[96];
        for (var q = 9; q < 13; q++) committed[q] = 1; // 23:00–24:00 already sold, 1 MW

        var periods = Hours(60, committed);

        // 1.20 MWh now; the 23:00 sale takes 1.054, so 21:00 may sell only what leaves that: (1.2 − 1.054) × 0.9487.
        Assert.InRange(periods[0].MaxSellMw, 0.138m, 0.140m);
        Assert.Equal(0m, periods[2].MaxSellMw); // 23:00 is at the rating already
        // Buying back the 1 MW sold, then charging up to the ceiling: 1.2 + (y − 1) × 0.9487 ≤ 2 MWh.
        Assert.InRange(periods[2].MaxBuyMw, 1.843m, 1.844m);
    }

    [Fact]
    public void NearlyFull_BuyingIsLimitedByTheRoomBelowTheCeiling()
    {
        var full = Hours(95)[0];

        Assert.Equal(0.1, full.AvailableChargeMwh, 9);
        Assert.InRange(full.MaxBuyMw, 0.105m, 0.106m); // 0.1 MWh / 0.9487
        Assert.Equal(1m, full.MaxSellMw);
    }
}
