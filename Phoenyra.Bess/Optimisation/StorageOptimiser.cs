using System.Diagnostics;

namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// The LP optimum and, beside it, the best plan that never charges and discharges in the same step
/// (<see cref="NoSimultaneous"/>: the exact MILP optimum when asked for, else the fast heuristic);
/// times in milliseconds for the LP, the heuristic, the exact solve (0 when not run) and all.
/// </summary>
public sealed record OptimisationResult(StorageSchedule Schedule, StorageSchedule NoSimultaneous, double ElapsedMs, double LpElapsedMs,
    StorageSchedule? Heuristic = null, double HeuristicElapsedMs = 0, double ExactElapsedMs = 0, bool ExactProven = false)
{
    /// <summary>Whether <see cref="NoSimultaneous"/> is proven optimal (the exact solve finished, or the LP needed none).</summary>
    public bool NoSimultaneousIsExact => ExactProven || !Schedule.Simultaneous;
}

/// <summary>Perfect-foresight storage arbitrage on a price series; exact (see SlopeTrickSolver and StorageLinearProgram).</summary>
public static class StorageOptimiser
{
    /// <summary>Re-solves allowed before the no-simultaneous plan falls back to forbidding discharge at negative prices.</summary>
    private const int MaxFeasibilityRounds = 50;

    /// <param name="exact">
    /// Also solve the no-simultaneous MILP to optimality (OR-Tools' SCIP, about a second for an hourly
    /// year); without it the no-simultaneous plan is the heuristic's (within 0.07 % on 2021–2025).
    /// </param>
    public static OptimisationResult Solve(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, bool exact = false)
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
        var heuristic = lp.Simultaneous ? WithoutSimultaneity(prices, battery, lp, solve) : lp;
        var heuristicElapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds - lpElapsed;
        if (!exact || !lp.Simultaneous)
            return new OptimisationResult(lp, heuristic, Stopwatch.GetElapsedTime(started).TotalMilliseconds, lpElapsed, heuristic, heuristicElapsed);
        var exactStarted = Stopwatch.GetTimestamp();
        var (optimum, proven) = Exact(prices, stepHours, battery);
        // The solver's last cents of tolerance must never make the "optimum" worse than a plan we hold.
        var best = optimum.RevenueEur >= heuristic.RevenueEur ? optimum : heuristic;
        return new OptimisationResult(lp, best, Stopwatch.GetElapsedTime(started).TotalMilliseconds, lpElapsed, heuristic, heuristicElapsed,
            Stopwatch.GetElapsedTime(exactStarted).TotalMilliseconds, proven);
    }

    /// <summary>How long the exact search may take before the best plan found is used, reported as not proven (a daily cycle cap on a year of quarter-hours can take minutes).</summary>
    public static readonly TimeSpan ExactTimeLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The no-simultaneous optimum: a MILP with a binary only where it can matter. At a step with
    /// price p, cutting charge by δ and discharge by δ·η_c·η_d keeps the SoC path and changes revenue
    /// by δ·(p − (p − g)·η_c·η_d) (g the degradation cost), never negative when that is ≥ 0 — so there
    /// some optimal plan does not do both, and only the other steps (negative prices) need a binary.
    /// Any both-at-once left at such a step (p = 0: revenue unchanged) is netted the same way.
    /// </summary>
    private static (StorageSchedule Plan, bool Proven) Exact(IReadOnlyList<double> prices, double stepHours, StorageParameters battery)
    {
        var loss = battery.ChargeEfficiency * battery.DischargeEfficiency;
        var exclusive = prices.Select(p => p - (p - battery.DegradationCostPerMwh) * loss < 0).ToArray();
        using var program = new StorageLinearProgram(prices, stepHours, battery, exclusive) { TimeLimit = ExactTimeLimit };
        var plan = program.Solve(null);
        if (!plan.Simultaneous) return (plan, program.Optimal);
        var charge = plan.ChargeMw.ToArray();
        var discharge = plan.DischargeMw.ToArray();
        for (var t = 0; t < charge.Length; t++)
        {
            var cut = Math.Min(charge[t], discharge[t] / loss);
            charge[t] -= cut;
            discharge[t] = Math.Max(0, discharge[t] - cut * loss);
        }
        return (ScheduleCheck.Build(prices, stepHours, battery, charge, discharge), program.Optimal);
    }

    /// <summary>
    /// A plan that never charges and discharges in the same step (forbidding it makes the problem a
    /// MILP). Steps where the LP does both may then only charge; re-solving can move the burning
    /// elsewhere, so repeat until no step does both. Each round is an exact LP with more steps
    /// fixed, so the result is feasible and never above the LP; on the 2025 data it lies within
    /// 0.02 % of the MILP optimum (BENCHMARKS.md). The fast path; <see cref="Exact"/> is the optimum.
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
