using Phoenyra.Bess.Optimisation;

namespace Phoenyra.Bess.Tests;

/// <summary>Properties that need no reference data.</summary>
public sealed class SolverAgreementTests
{
    [Fact]
    public void SlopeTrick_AndTheGlopLinearProgram_AgreeOnRandomisedProblems()
    {
        var random = new Random(11);
        for (var run = 0; run < 40; run++)
        {
            var prices = Enumerable.Range(0, random.Next(5, 300)).Select(_ => Math.Round(random.NextDouble() * 300 - 60, 2)).ToArray();
            var energy = 0.5 + random.NextDouble() * 3;
            var battery = new StorageParameters(0.5 + random.NextDouble() * 2, energy, 0.8 + random.NextDouble() * 0.2, 0.8 + random.NextDouble() * 0.2,
                energy * random.NextDouble() * 0.2, energy * (0.8 + random.NextDouble() * 0.2), 0, DegradationCostPerMwh: random.Next(3) == 0 ? 5 : 0);
            battery = battery with { InitialSocMwh = battery.SocMinMwh + (battery.SocMaxMwh - battery.SocMinMwh) * random.NextDouble() };
            var dt = random.Next(2) == 0 ? 1 : 0.25;

            var fast = SlopeTrickSolver.Solve(prices, dt, battery);
            var flow = StorageLinearProgram.Solve(prices, dt, battery);

            Assert.Equal(flow.RevenueEur - flow.DegradationCostEur, fast.RevenueEur - fast.DegradationCostEur, 6);
        }
    }

    [Fact]
    public void InvalidBattery_IsRefusedNamingTheField()
    {
        var error = Assert.Throws<ArgumentException>(() => StorageOptimiser.Solve([50, 60], 1, new StorageParameters(-1, 2, 0.9, 1.2, 0, 2, 0)));

        Assert.Contains("power:", error.Message);
        Assert.Contains("discharge_efficiency:", error.Message);
    }

    [Fact]
    public void RollingHorizon_WithKnownPricesToTheEnd_ReproducesPerfectForesight()
    {
        var random = new Random(23);
        for (var run = 0; run < 20; run++)
        {
            var prices = Enumerable.Range(0, random.Next(24, 120)).Select(_ => Math.Round(random.NextDouble() * 250 - 40, 2)).ToArray();
            var battery = StorageParameters.FromRoundTrip(1, 1 + random.NextDouble() * 3, 0.8 + random.NextDouble() * 0.2);

            var rolling = RollingHorizon.Simulate(prices, 1, battery, horizonSteps: prices.Length, PriceForecast.DayAhead);

            Assert.Equal(rolling.PerfectForesightEur, rolling.RevenueEur, 6);
            Assert.Equal(1.0, rolling.CapturedShare, 9);
        }
    }

    [Fact]
    public void EndSocFloor_IsRespectedByBothSolvers()
    {
        double[] prices = [10, 200, 10, 200, 300];
        var battery = StorageParameters.FromRoundTrip(1, 2, 0.9, initialSoc: 1) with { EndSocMinMwh = 1.5 };

        var fast = SlopeTrickSolver.Solve(prices, 1, battery);
        var flow = StorageLinearProgram.Solve(prices, 1, battery);

        Assert.True(fast.SocMwh[^1] >= 1.5 - 1e-9);
        Assert.Equal(flow.RevenueEur, fast.RevenueEur, 9);
    }
}
