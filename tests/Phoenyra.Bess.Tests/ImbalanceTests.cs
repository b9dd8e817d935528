using Phoenyra.Bess.Imbalance;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Bess.Tests;

/// <summary>Imbalance settled at the German reBAP of December 2025 (../shared/data): a shortfall is bought at it, a surplus sold at it.</summary>
[Trait("Category", SharedData.Category)]
public sealed class ImbalanceTests
{
    private static readonly ImbalancePrices Rebap = ImbalancePrices.Read(Path.Combine(SharedData.Folder!, "prices", "DE_reBAP_15min_2025-12_TransnetBW.csv"));

    [Fact]
    public void HalfOfAnHoursSaleUndelivered_CostsTheMissingEnergyAtEachQuartersReBap()
    {
        var start = new DateTimeOffset(2025, 12, 1, 17, 0, 0, TimeSpan.Zero);
        double[] rebap = [32.14, 59.81, 55.51, 57.65]; // the file's 17:00–17:45 UTC rows

        var quarters = Enumerable.Range(0, 4).Select(q =>
        {
            var price = Rebap.At(start.AddMinutes(15 * q))!.Value;
            return ImbalanceSettlement.Settle(committedMw: 1, meteredMwh: 0.125, stepHours: 0.25, price.Surplus, price.Shortfall);
        }).ToList();

        Assert.All(quarters, q => Assert.Equal(-0.125, q.DeviationMwh, 9));
        Assert.Equal(rebap.Select(p => 0.125 * p), quarters.Select(q => Math.Round(q.CostEur, 9)));
        Assert.Equal(25.63875, quarters.Sum(q => q.CostEur), 9);
    }

    [Fact]
    public void OverTheWholeMonth_AConstantShortfallCostsTheSumOfReBap_AndASurplusEarnsIt()
    {
        var start = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero).AddHours(-1); // the file starts at 00:00 Berlin
        double shortfall = 0, surplus = 0;
        for (var q = 0; q < 2976; q++)
        {
            var price = Rebap.At(start.AddMinutes(15 * q))!.Value;
            shortfall += ImbalanceSettlement.Settle(0.1, 0, 0.25, price.Surplus, price.Shortfall).CostEur;
            surplus += ImbalanceSettlement.Settle(0, 0.025, 0.25, price.Surplus, price.Shortfall).CostEur;
        }

        Assert.Equal(2976, Rebap.Count);
        Assert.Equal(7_136.6205, Math.Round(shortfall, 4)); // 0.025 MWh × Σ reBAP (285,464.82)
        Assert.Equal(-7_136.6205, Math.Round(surplus, 4));
    }
}

/// <summary>`optimise --rolling --imbalance`: a day-ahead commitment bid on yesterday's prices, executed rolling-horizon on December 2025's published prices.</summary>
[Trait("Category", SharedData.Category)]
public sealed class DayAheadCommitmentTests
{
    [Fact]
    public void OnDecember2025_TheRollingRunDeviatesFromItsCommitment_AndTheDeviationIsSettledAtReBap()
    {
        var file = Phoenyra.Core.Prices.CsvPriceFile.Read(Path.Combine(SharedData.Folder!, "prices", "DE-LU_DA_15min_2025-12_SMARD.csv"));
        var rebap = ImbalancePrices.Read(Path.Combine(SharedData.Folder!, "prices", "DE_reBAP_15min_2025-12_TransnetBW.csv"));
        var battery = Phoenyra.Bess.Optimisation.StorageParameters.FromRoundTrip(1, 2, 0.9);

        var report = DayAheadCommitment.Settle(file.Points.Select(p => (double)p.Price).ToArray(), file.Points.Select(p => p.Time).ToList(), 0.25, battery, 96, rebap);

        Assert.Equal(0, report.UnpricedSteps);
        Assert.Equal(3_855.30, Math.Round(report.ExecutedRevenueEur, 2));          // rolling on the published prices: the month's optimum
        Assert.InRange(report.CommittedRevenueEur, 1_000, report.ExecutedRevenueEur); // bidding blind on yesterday's prices earns less
        Assert.InRange(report.DeviationMwh, 1, 2 * 0.25 * 2976);                    // the run re-plans away from its bids, within the rating
        var dearest = Enumerable.Range(0, 2976).Max(q => Math.Abs(rebap.At(file.Points[q].Time)!.Value.Surplus));
        Assert.InRange(Math.Abs(report.ImbalanceCostEur), 0.01, report.DeviationMwh * dearest);
        Assert.Equal(report.CommittedRevenueEur - report.ImbalanceCostEur, report.NetEur, 9);
    }
}
