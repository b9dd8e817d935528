using Google.OrTools.LinearSolver;

namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// The storage LP written as it reads (charge, discharge and SoC per step; SoC balance; a cap on
/// each day's discharged energy) and solved by OR-Tools' GLOP simplex. Used when a daily cycle
/// cap couples the steps of a day, which the slope-trick solver cannot express; and, with a binary
/// per step where charging and discharging must exclude each other, as the exact MILP (SCIP, gap 0).
/// </summary>
internal sealed class StorageLinearProgram : IDisposable
{
    // GLOP's defaults (1e-6) would let the SoC leave its window by more than ScheduleCheck allows.
    private const double FeasibilityTolerance = 1e-9;

    private readonly IReadOnlyList<double> _prices;
    private readonly double _stepHours;
    private readonly StorageParameters _battery;
    private readonly Solver _solver;
    private readonly Variable[] _charge;
    private readonly Variable[] _discharge;
    private readonly bool _mixedInteger;

    /// <param name="exclusive">
    /// Steps where charging and discharging exclude each other (a binary per step: the model becomes a
    /// MILP, solved by SCIP); null for the LP.
    /// </param>
    public StorageLinearProgram(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, bool[]? exclusive = null)
    {
        (_prices, _stepHours, _battery) = (prices, stepHours, battery);
        var n = prices.Count;
        _mixedInteger = exclusive?.Any(e => e) == true;
        _solver = (_mixedInteger ? Solver.CreateSolver("SCIP") : Solver.CreateSolver("GLOP"))
            ?? throw new InvalidOperationException($"OR-Tools {(_mixedInteger ? "SCIP" : "GLOP")} is not available.");
        _charge = new Variable[n];
        _discharge = new Variable[n];
        var stepsPerDay = Math.Max(1, (int)Math.Round(24 / stepHours));
        var objective = _solver.Objective();
        objective.SetMaximization();
        Constraint? day = null;
        Variable? previousSoc = null;
        for (var t = 0; t < n; t++)
        {
            _charge[t] = _solver.MakeNumVar(0, battery.PowerMw, "");
            _discharge[t] = _solver.MakeNumVar(0, battery.PowerMw, "");
            var socFloor = t == n - 1 ? Math.Max(battery.SocMinMwh, battery.EndSocFloorMwh) : battery.SocMinMwh;
            var soc = _solver.MakeNumVar(socFloor, battery.SocMaxMwh, "");

            // soc[t] − soc[t−1] − η_c·dt·charge + dt/η_d·discharge = 0 (soc[−1] is the initial SoC)
            var balance = previousSoc is null
                ? _solver.MakeConstraint(battery.InitialSocMwh, battery.InitialSocMwh, "")
                : _solver.MakeConstraint(0, 0, "");
            balance.SetCoefficient(soc, 1);
            if (previousSoc is not null) balance.SetCoefficient(previousSoc, -1);
            balance.SetCoefficient(_charge[t], -battery.ChargeEfficiency * stepHours);
            balance.SetCoefficient(_discharge[t], stepHours / battery.DischargeEfficiency);
            previousSoc = soc;

            if (battery.CyclesPerDay is { } cycles)
            {
                if (t % stepsPerDay == 0) day = _solver.MakeConstraint(double.NegativeInfinity, cycles * battery.EnergyMwh, "");
                day!.SetCoefficient(_discharge[t], stepHours);
            }
            if (exclusive?[t] == true)
            {
                // charge ≤ P·z, discharge ≤ P·(1 − z)
                var charging = _solver.MakeBoolVar("");
                var chargeOnly = _solver.MakeConstraint(double.NegativeInfinity, 0, "");
                chargeOnly.SetCoefficient(_charge[t], 1);
                chargeOnly.SetCoefficient(charging, -battery.PowerMw);
                var dischargeOnly = _solver.MakeConstraint(double.NegativeInfinity, battery.PowerMw, "");
                dischargeOnly.SetCoefficient(_discharge[t], 1);
                dischargeOnly.SetCoefficient(charging, battery.PowerMw);
            }
            objective.SetCoefficient(_charge[t], -prices[t] * stepHours);
            objective.SetCoefficient(_discharge[t], (prices[t] - battery.DegradationCostPerMwh) * stepHours);
        }
    }

    public static StorageSchedule Solve(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, bool[]? noDischarge = null)
    {
        using var program = new StorageLinearProgram(prices, stepHours, battery);
        return program.Solve(noDischarge);
    }

    /// <summary>
    /// Solves with discharging forbidden where <paramref name="noDischarge"/> says so; the model is
    /// built once and only its bounds change between calls.
    /// </summary>
    /// <summary>Whether the last solve proved its plan optimal (a MILP may stop at its time limit with a feasible one).</summary>
    public bool Optimal { get; private set; }

    /// <summary>Stops a MILP search after this long, keeping its best plan so far.</summary>
    public TimeSpan? TimeLimit { set { if (value is { } limit) _solver.SetTimeLimit((long)limit.TotalMilliseconds); } }

    public StorageSchedule Solve(bool[]? noDischarge)
    {
        if (_prices.Count == 0) return ScheduleCheck.Build(_prices, _stepHours, _battery, [], []);
        for (var t = 0; t < _discharge.Length; t++)
            _discharge[t].SetUb(noDischarge?[t] == true ? 0 : _battery.PowerMw);
        using var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.PRIMAL_TOLERANCE, FeasibilityTolerance);
        if (_mixedInteger) parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0);
        else parameters.SetDoubleParam(MPSolverParameters.DoubleParam.DUAL_TOLERANCE, FeasibilityTolerance);
        // From scratch each time: warm starts (primal or dual) land on other degenerate optima with
        // more simultaneous steps, so the feasible variant needed more rounds and took longer.
        if (!_mixedInteger) _solver.Reset();
        var status = _solver.Solve(parameters);
        Optimal = status == Solver.ResultStatus.OPTIMAL;
        // A MILP stopped by its time limit still has its best plan: the caller says it is not proven.
        if (!Optimal && !(_mixedInteger && status == Solver.ResultStatus.FEASIBLE))
            throw new InvalidOperationException($"The storage {(_mixedInteger ? "MILP" : "LP")} was not solved to optimality ({(_mixedInteger ? "SCIP" : "GLOP")}: {status}).");
        return ScheduleCheck.Build(_prices, _stepHours, _battery,
            _charge.Select(v => v.SolutionValue()).ToArray(),
            _discharge.Select(v => v.SolutionValue()).ToArray());
    }

    public void Dispose() => _solver.Dispose();
}
