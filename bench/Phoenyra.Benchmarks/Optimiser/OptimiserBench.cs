using System.Diagnostics;
using System.Globalization;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Core.Cli;
using Phoenyra.Core.Prices;

namespace Phoenyra.Benchmarks.Optimiser;

/// <summary>
/// <c>optimiser [--highs]</c>: times the exact optimiser on a year of hourly prices and a year of
/// 15-minute steps (the hourly year repeated four times per hour, as no real 15-minute year is
/// in the shared data), checks the slope trick against OR-Tools' GLOP on the same LP, and with
/// --highs both against HiGHS (SciPy's linprog, Debian python3-scipy).
/// </summary>
internal static class OptimiserBench
{
    public static void Run(string[] args)
    {
        var hourly = CsvPriceFile.Read(SharedPrices.File("DE-LU_DA_hourly_2025_SMARD.csv")).Points.Select(p => (double)p.Price).ToArray();
        var quarterYear = hourly.SelectMany(p => Enumerable.Repeat(p, 4)).ToArray();
        var table = new TextTable("case", "steps", "solver", "revenue EUR", "LP median ms", "LP min ms", "with feasible variant ms", "vs GLOP");
        foreach (var (name, prices, dt) in new[] { ("2025 hourly", hourly, 1.0), ("2025 as 15-min", quarterYear, 0.25) })
        {
            foreach (var (label, battery) in new[]
            {
                ("E 2 MWh, RTE 90 %", StorageParameters.FromRoundTrip(1, 2, 0.9)),
                ("E 2 MWh, RTE 90 %, 1 cycle/day", StorageParameters.FromRoundTrip(1, 2, 0.9, 1)),
            })
            {
                var (plan, median, min) = Time(() => battery.CyclesPerDay is null ? SlopeTrickSolver.Solve(prices, dt, battery) : StorageLinearProgram.Solve(prices, dt, battery));
                var full = StorageOptimiser.Solve(prices, dt, battery);
                var agreement = "";
                if (battery.CyclesPerDay is null)
                {
                    var (check, checkMedian, _) = Time(() => StorageLinearProgram.Solve(prices, dt, battery), runs: 3);
                    agreement = $"{Math.Abs(plan.RevenueEur - check.RevenueEur) / Math.Abs(check.RevenueEur):E1} rel. ({checkMedian:F0} ms)";
                }
                table.Add($"{name}, {label}", prices.Length.ToString("N0"), battery.CyclesPerDay is null ? "slope trick" : "GLOP (OR-Tools)",
                    plan.RevenueEur.ToString("N2"), median.ToString("F1"), min.ToString("F1"), $"{full.ElapsedMs:F0} ({full.NoSimultaneous.RevenueEur:N2} EUR)", agreement);
                if (args.Contains("--highs"))
                {
                    var (revenue, seconds) = Highs(prices, dt, battery);
                    table.Add($"{name}, {label}", prices.Length.ToString("N0"), "HiGHS (scipy)", revenue.ToString("N2"), (seconds * 1000).ToString("F0"), "", "",
                        $"{Math.Abs(revenue - plan.RevenueEur) / Math.Abs(plan.RevenueEur):E1} rel.");
                }
            }
        }
        Console.Write(table);
        NoSimultaneous(hourly);
    }

    /// <summary>The no-simultaneous plan: the fast heuristic against the exact MILP (SCIP), median of 3 runs each, against the golden MILP values.</summary>
    private static void NoSimultaneous(double[] hourly)
    {
        var table = new TextTable("case (2025 hourly, P 1 MW, RTE 90 %)", "heuristic EUR", "heuristic ms", "optimum EUR (SCIP)", "SCIP ms", "heuristic short by");
        foreach (var energy in new[] { 1.0, 2.0 })
        {
            var battery = StorageParameters.FromRoundTrip(1, energy, 0.9);
            var runs = Enumerable.Range(0, 4).Select(_ => StorageOptimiser.Solve(hourly, 1, battery, exact: true)).Skip(1).ToList(); // the first warms up
            var heuristicMs = runs.Select(r => r.HeuristicElapsedMs).Order().ElementAt(1);
            var exactMs = runs.Select(r => r.ExactElapsedMs).Order().ElementAt(1);
            var heuristic = runs[0].Heuristic!.RevenueEur;
            var optimum = runs[0].NoSimultaneous.RevenueEur;
            table.Add($"E {energy} MWh", heuristic.ToString("N2"), heuristicMs.ToString("F0"), optimum.ToString("N2"), exactMs.ToString("F0"), $"{(optimum - heuristic) / optimum:P4}");
        }
        Console.Write(table);
    }

    private static (StorageSchedule Plan, double MedianMs, double MinMs) Time(Func<StorageSchedule> solve, int runs = 7)
    {
        solve(); // JIT
        var times = new List<double>();
        StorageSchedule plan = null!;
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            plan = solve();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        return (plan, times[times.Count / 2], times[0]);
    }

    private static (double Revenue, double Seconds) Highs(double[] prices, double dt, StorageParameters battery)
    {
        var file = Path.GetTempFileName();
        File.WriteAllLines(file, prices.Select(p => p.ToString("R", CultureInfo.InvariantCulture)));
        var script = Path.Combine(AppContext.BaseDirectory, "Optimiser", "highs_lp.py");
        var cap = battery.CyclesPerDay?.ToString(CultureInfo.InvariantCulture) ?? "0";
        var start = new ProcessStartInfo("/usr/bin/python3", $"{script} {file} {dt} {battery.PowerMw} {battery.EnergyMwh} {battery.ChargeEfficiency} {cap}")
        { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd().Trim().Split(' ');
        process.WaitForExit();
        File.Delete(file);
        return (double.Parse(output[0], CultureInfo.InvariantCulture), double.Parse(output[1], CultureInfo.InvariantCulture));
    }
}
