using Phoenyra.Bess.Optimisation;

namespace Phoenyra.Bess.Tests;

/// <summary>The perfect-foresight bounds in ../shared/data/README.md (HiGHS, CBC and GLPK agree to the cent).</summary>
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

    [Fact]
    public void NoSimultaneousVariant_IsFeasible_NeverBelowTheMilpOptimumByMuch_AndNeverAboveTheLp()
    {
        var lp = StorageOptimiser.Solve(SharedPrices.Hourly2025, 1, StorageParameters.FromRoundTrip(1, 1, 0.9));

        Assert.True(lp.Schedule.Simultaneous, "on 2025 prices the LP burns energy at negative prices");
        Assert.False(lp.NoSimultaneous.Simultaneous);
        Assert.True(lp.NoSimultaneous.RevenueEur <= lp.Schedule.RevenueEur + 1e-6);
        // The MILP optimum is 50,051.48; the restricted LP is a feasible plan at or below it.
        Assert.True(lp.NoSimultaneous.RevenueEur <= 50_051.48 + 0.005);
    }
}
