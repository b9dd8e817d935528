using System.Diagnostics;

namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// The LP optimum and, beside it, a plan that never charges and discharges in the same step;
/// times in milliseconds for the LP alone and for both.
/// </summary>
public sealed record OptimisationResult(StorageSchedule Schedule, StorageSchedule NoSimultaneous, double ElapsedMs, double LpElapsedMs);

/// <summary>Perfect-foresight storage arbitrage on a price series; exact (see SlopeTrickSolver and StorageLinearProgram).</summary>
public static class StorageOptimiser
{
    /// <summary>Re-solves allowed before the no-simultaneous plan falls back to forbidding discharge at negative prices.</summary>
    private const int MaxFeasibilityRounds = 50;

    public static OptimisationResult Solve(IReadOnlyList<double> prices, double stepHours, StorageParameters battery)
    {
        var problems = battery.Problems().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Field}: {p.Reason}")));
        if (!(stepHours > 0)) throw new ArgumentException("step hours must be positive");
        var started = Stopwatch.GetTimestamp();
        // A daily cycle cap couples the steps of a day: only the general LP can express it. Its model
        // is built once, so the feasible variant's re-solves start from the previous basis.
        using var program = battery.CyclesPerDay is null ? null : new StorageLinearProgram(prices, stepHours, battery);
        Func<bool[]?, StorageSchedule> solve = program is null
            ? noDischarge => SlopeTrickSolver.Solve(prices, stepHours, battery, noDischarge)
            : program.Solve;
        var lp = solve(null);
        var lpElapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var feasible = lp.Simultaneous ? WithoutSimultaneity(prices, battery, lp, solve) : lp;
        return new OptimisationResult(lp, feasible, Stopwatch.GetElapsedTime(started).TotalMilliseconds, lpElapsed);
    }

    /// <summary>
    /// A plan that never charges and discharges in the same step (forbidding it makes the problem a
    /// MILP). Steps where the LP does both may then only charge; re-solving can move the burning
    /// elsewhere, so repeat until no step does both. Each round is an exact LP with more steps
    /// fixed, so the result is feasible and never above the LP; on the 2025 data it lies within
    /// 0.02 % of the MILP optimum (BENCHMARKS.md).
    /// </summary>
    private static StorageSchedule WithoutSimultaneity(IReadOnlyList<double> prices, StorageParameters battery, StorageSchedule lp, Func<bool[]?, StorageSchedule> solve)
    {
        var noDischarge = new bool[prices.Count];
        var plan = lp;
        for (var round = 0; round < MaxFeasibilityRounds && plan.Simultaneous; round++)
        {
            for (var t = 0; t < prices.Count; t++)
                if (plan.ChargeMw[t] > ScheduleCheck.ActiveMw && plan.DischargeMw[t] > ScheduleCheck.ActiveMw) noDischarge[t] = true;
            plan = solve(noDischarge);
        }
        if (!plan.Simultaneous) return plan;
        // Fallback that always terminates: no discharging at any negative net price.
        for (var t = 0; t < prices.Count; t++) noDischarge[t] |= prices[t] - battery.DegradationCostPerMwh < 0;
        return solve(noDischarge);
    }
}
