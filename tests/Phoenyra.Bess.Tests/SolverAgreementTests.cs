using Phoenyra.Bess.Optimisation;

namespace Phoenyra.Bess.Tests;

/// <summary>Properties that need no reference data.</summary>
public sealed class SolverAgreementTests
{
    [Fact]
    public void SlopeTrick_AndNetworkSimplex_AgreeOnRandomisedProblems()
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
            var flow = StorageFlowModel.Solve(prices, dt, battery);

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
}
