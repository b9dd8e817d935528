using System.Diagnostics;

namespace Phoenyra.Bess.Optimisation;

/// <summary>The LP optimum and, beside it, the best plan that never charges and discharges in the same step.</summary>
public sealed record OptimisationResult(StorageSchedule Schedule, StorageSchedule NoSimultaneous, double ElapsedMs);

/// <summary>Perfect-foresight storage arbitrage on a price series; exact (see SlopeTrickSolver and NetworkSimplex).</summary>
public static class StorageOptimiser
{
    public static OptimisationResult Solve(IReadOnlyList<double> prices, double stepHours, StorageParameters battery)
    {
        var problems = battery.Problems().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Reason}")));
        if (!(stepHours > 0)) throw new ArgumentException("step hours must be positive");
        var started = Stopwatch.GetTimestamp();
        var lp = SolveOne(prices, stepHours, battery, allowSimultaneous: true);
        var feasible = lp.Simultaneous ? SolveOne(prices, stepHours, battery, allowSimultaneous: false) : lp;
        return new OptimisationResult(lp, feasible, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static StorageSchedule SolveOne(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, bool allowSimultaneous) =>
        battery.CyclesPerDay is null
            ? SlopeTrickSolver.Solve(prices, stepHours, battery, allowSimultaneous)
            : StorageFlowModel.Solve(prices, stepHours, battery, allowSimultaneous);
}
