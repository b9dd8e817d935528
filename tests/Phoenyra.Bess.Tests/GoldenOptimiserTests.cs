using Phoenyra.Bess.Optimisation;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Bess.Tests;

/// <summary>The perfect-foresight bounds in ../shared/data/README.md (HiGHS, CBC and GLPK agree to the cent).</summary>
[Trait("Category", SharedData.Category)]
public sealed class GoldenOptimiserTests
{
    public static TheoryData<string, double, double, double?, double> Cases => new()
    {
        // file, energy MWh, round-trip efficiency, cycles/day, golden EUR (P = 1 MW)
        { "hourly", 1, 0.90, null, 50_473.66 },
        { "hourly", 2, 0.90, null, 91_977.31 },
        { "hourly", 2, 0.85, null, 85_200.75 },
        { "hourly", 2, 0.90, 2, 91_843.41 },
        { "hourly", 2, 0.90, 1, 77_488.26 },
        { "hourly", 1, 1.00, 1, 44_588.54 },
        { "quarter", 1, 0.90, null, 2_348.93 },
        { "quarter", 2, 0.90, null, 3_855.30 },
        { "quarter", 2, 0.85, null, 3_190.30 },
        { "quarter", 2, 0.90, 2, 3_783.28 },
        { "quarter", 2, 0.90, 1, 3_186.79 },
        { "quarter", 1, 1.00, 1, 2_028.23 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Optimiser_ReproducesTheGoldenRevenue_ToTheCent(string file, double energy, double rte, double? cycles, double golden)
    {
        var (prices, dt) = file == "hourly" ? (SharedPrices.Hourly2025, 1.0) : (SharedPrices.QuarterHourDec2025, 0.25);

        var plan = StorageOptimiser.Solve(prices, dt, StorageParameters.FromRoundTrip(1, energy, rte, cycles));

        // Commercial rounding: the exact optimum of one case is 2,028.225 EUR.
        Assert.Equal((decimal)golden, Math.Round((decimal)plan.Schedule.RevenueEur, 2, MidpointRounding.AwayFromZero));
    }

    [Theory]
    [InlineData(1.0, 50_051.48)]
    [InlineData(2.0, 91_730.00)]
    public void NoSimultaneousPlan_IsTheMilpOptimum_AndTheFastHeuristicIsWithinAFiftiethOfAPercent(double energy, double milp)
    {
        var result = StorageOptimiser.Solve(SharedPrices.Hourly2025, 1, StorageParameters.FromRoundTrip(1, energy, 0.9), exact: true);

        Assert.True(result.Schedule.Simultaneous, "on 2025 prices the LP burns energy at negative prices");
        Assert.False(result.NoSimultaneous.Simultaneous);
        Assert.True(result.NoSimultaneousIsExact);
        // The README gives the E 2 MWh optimum to the euro (91,730), the E 1 MWh one to the cent.
        var digits = milp % 1 == 0 ? 0 : 2;
        Assert.Equal((decimal)milp, Math.Round((decimal)result.NoSimultaneous.RevenueEur, digits, MidpointRounding.AwayFromZero));
        Assert.False(result.Heuristic!.Simultaneous);
        Assert.InRange(result.Heuristic.RevenueEur, milp * (1 - 0.0002), result.NoSimultaneous.RevenueEur + 0.005);
    }

    [Fact]
    public void WithoutNegativePrices_TheLpIsAlreadyTheNoSimultaneousOptimum_AndNoMilpRuns()
    {
        var positive = SharedPrices.QuarterHourDec2025.Select(p => Math.Max(p, 0.01)).ToArray();

        var result = StorageOptimiser.Solve(positive, 0.25, StorageParameters.FromRoundTrip(1, 2, 0.9), exact: true);

        Assert.False(result.Schedule.Simultaneous);
        Assert.True(result.NoSimultaneousIsExact);
        Assert.Equal(0, result.ExactElapsedMs);
        Assert.Equal(result.Schedule.RevenueEur, result.NoSimultaneous.RevenueEur);
    }

    [Fact]
    public void Schedule_RespectsPowerAndTheSocWindow_AndEndsAtOrAboveTheStart()
    {
        var battery = StorageParameters.FromRoundTrip(1, 2, 0.9, socMin: 0.2, socMax: 1.8, initialSoc: 1.0);

        var plan = StorageOptimiser.Solve(SharedPrices.QuarterHourDec2025, 0.25, battery).Schedule;

        Assert.All(plan.ChargeMw, c => Assert.InRange(c, 0, 1 + 1e-9));
        Assert.All(plan.DischargeMw, d => Assert.InRange(d, 0, 1 + 1e-9));
        Assert.All(plan.SocMwh, s => Assert.InRange(s, 0.2 - 1e-9, 1.8 + 1e-9));
        Assert.True(plan.SocMwh[^1] >= 1.0 - 1e-9);
        var revenue = SharedPrices.QuarterHourDec2025.Select((p, t) => p * 0.25 * (plan.DischargeMw[t] - plan.ChargeMw[t])).Sum();
        Assert.Equal(revenue, plan.RevenueEur, 6);
    }

    [Fact]
    public void CycleCap_LimitsDailyDischargedEnergy()
    {
        var plan = StorageOptimiser.Solve(SharedPrices.Hourly2025, 1, StorageParameters.FromRoundTrip(1, 2, 0.9, cyclesPerDay: 1)).Schedule;

        for (var day = 0; day < 365; day++)
            Assert.True(plan.DischargeMw.Skip(day * 24).Take(24).Sum() <= 2 + 1e-6, $"day {day} discharges more than one cycle");
    }


    [Fact]
    public void RollingHorizon_OnYesterdaysPrices_CapturesMostButNotAllOfPerfectForesight()
    {
        var rolling = RollingHorizon.Simulate(SharedPrices.Hourly2025, 1, StorageParameters.FromRoundTrip(1, 2, 0.9), horizonSteps: 24, PriceForecast.Persistence);

        Assert.Equal(91_977.31, Math.Round(rolling.PerfectForesightEur, 2));
        Assert.InRange(rolling.CapturedShare, 0.5, 0.99);
    }
}
