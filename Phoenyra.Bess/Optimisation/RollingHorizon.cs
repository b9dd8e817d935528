using System.Diagnostics;

namespace Phoenyra.Bess.Optimisation;

/// <summary>What the planner believes about prices it has not seen yet.</summary>
public enum PriceForecast
{
    /// <summary>Each future step costs what the same step cost one day earlier ("yesterday's prices").</summary>
    Persistence,

    /// <summary>The day-ahead curve is known for the horizon (intraday re-planning on the auction result).</summary>
    DayAhead,
}

/// <summary>Revenue captured by re-planning every step on a forecast, against perfect foresight.</summary>
public sealed record RollingResult(double RevenueEur, double PerfectForesightEur, int Plans, double ElapsedMs, StorageSchedule Executed)
{
    public double CapturedShare => PerfectForesightEur == 0 ? 0 : RevenueEur / PerfectForesightEur;
}

/// <summary>
/// Rolling-horizon operation: at every step, plan the next <c>horizonSteps</c> on what is known
/// (the forecast for the future, starting from the SoC actually reached), execute only the first
/// step at the real price, move on. Each plan must end at or above the SoC the run started
/// from, so the battery is never run down for a horizon it cannot see past; with the real prices
/// and a horizon to the end this reproduces the perfect-foresight optimum exactly.
/// </summary>
public static class RollingHorizon
{
    public static RollingResult Simulate(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, int horizonSteps, PriceForecast forecast)
    {
        if (horizonSteps < 1) throw new ArgumentException("horizon must be at least one step");
        if (battery.CyclesPerDay is not null) throw new ArgumentException("cycles_per_day: rolling horizon does not support a cycle cap yet");
        var started = Stopwatch.GetTimestamp();
        var n = prices.Count;
        var stepsPerDay = Math.Max(1, (int)Math.Round(24 / stepHours));
        var charge = new double[n];
        var discharge = new double[n];
        var soc = battery.InitialSocMwh;
        var window = new double[horizonSteps];
        for (var t = 0; t < n; t++)
        {
            var length = Math.Min(horizonSteps, n - t);
            for (var k = 0; k < length; k++)
            {
                var s = t + k;
                window[k] = forecast == PriceForecast.DayAhead
                    ? prices[s]
                    : s - stepsPerDay >= 0 ? prices[s - stepsPerDay] : prices[s % stepsPerDay];
            }
            var plan = SlopeTrickSolver.Solve(new ArraySegment<double>(window, 0, length), stepHours, battery with { InitialSocMwh = soc, EndSocMinMwh = battery.EndSocFloorMwh });
            charge[t] = plan.ChargeMw[0];
            discharge[t] = plan.DischargeMw[0];
            soc = Math.Clamp(soc + battery.ChargeEfficiency * stepHours * charge[t] - stepHours / battery.DischargeEfficiency * discharge[t], battery.SocMinMwh, battery.SocMaxMwh);
        }
        var executed = ScheduleCheck.Build(prices, stepHours, battery, charge, discharge, requireEndAboveStart: false);
        var perfect = SlopeTrickSolver.Solve(prices, stepHours, battery);
        return new RollingResult(executed.RevenueEur, perfect.RevenueEur, n, Stopwatch.GetElapsedTime(started).TotalMilliseconds, executed);
    }
}
