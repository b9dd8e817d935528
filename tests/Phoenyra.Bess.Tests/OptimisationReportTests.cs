using Phoenyra.Bess.Optimisation;
using Phoenyra.Core.Prices;

namespace Phoenyra.Bess.Tests;

public sealed class OptimisationReportTests
{
    private static PriceSeries Alternating(int hours)
    {
        var start = new DateTimeOffset(2025, 1, 31, 0, 0, 0, TimeSpan.Zero);
        var points = Enumerable.Range(0, hours).Select(h => new PricePoint(start.AddHours(h), h % 2 == 0 ? 0m : 100m)).ToList();
        return new PriceSeries(points, [], TimeSpan.FromHours(1));
    }

    [Fact]
    public void APlanThatCyclesEveryTwoHours_IsWorthItsRevenuePerMwYear_AndIsFlaggedForItsCycles()
    {
        var series = Alternating(48);
        var battery = StorageParameters.FromRoundTrip(2, 2, 1.0);
        var plan = StorageOptimiser.Solve(series.Points.Select(p => (double)p.Price).ToArray(), 1, battery).Schedule;

        var report = OptimisationReport.Of(series, plan, battery);

        Assert.Equal(plan.RevenueEur / 2 / (48.0 / 8760), report.EurPerMwYear, 6);
        Assert.True(report.CyclesPerYear > OptimisationReport.WarrantyCyclesPerYear);
        Assert.Contains("cycle cap", report.CycleNote);
        Assert.Equal([(2025, 1), (2025, 2)], report.Months.Select(m => (m.Year, m.Month)));
        Assert.Equal(plan.RevenueEur, report.Months.Sum(m => m.RevenueEur), 6);
        var csv = OptimisationReport.ScheduleCsv(series, plan).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(49, csv.Length);
        Assert.StartsWith("2025-01-31T00:00:00Z,0,", csv[1]);
    }
}
