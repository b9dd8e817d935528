using Phoenyra.Bess.Optimisation;

namespace Phoenyra.Bess.Imbalance;

/// <summary>
/// What committing day-ahead and then executing rolling-horizon would have paid in imbalance:
/// each day's schedule is committed the day before on yesterday's prices (persistence: the
/// auction's result is not known when bidding), chained from the SoC the previous commitment
/// ends at; the battery then runs rolling-horizon on the day-ahead prices as published. Every
/// step's deviation from the commitment, left to imbalance instead of re-traded intraday, is
/// settled at the imbalance price.
/// </summary>
public sealed record DayAheadCommitmentReport(double CommittedRevenueEur, double ExecutedRevenueEur, double ImbalanceCostEur, double DeviationMwh, int UnpricedSteps)
{
    /// <summary>The committed schedule's revenue at the day-ahead prices, less the imbalance cost of the deviations.</summary>
    public double NetEur => CommittedRevenueEur - ImbalanceCostEur;
}

public static class DayAheadCommitment
{
    public static DayAheadCommitmentReport Settle(IReadOnlyList<double> prices, IReadOnlyList<DateTimeOffset> times, double stepHours, StorageParameters battery,
        int horizonSteps, ImbalancePrices imbalance)
    {
        var n = prices.Count;
        var stepsPerDay = Math.Max(1, (int)Math.Round(24 / stepHours));
        var committed = new double[n];
        var soc = battery.InitialSocMwh;
        for (var day = 0; day < n; day += stepsPerDay)
        {
            var length = Math.Min(stepsPerDay, n - day);
            // Bid on yesterday's prices (the first day on its own: nothing earlier is known).
            var forecast = Enumerable.Range(day, length).Select(s => s - stepsPerDay >= 0 ? prices[s - stepsPerDay] : prices[s]).ToArray();
            var plan = SlopeTrickSolver.Solve(forecast, stepHours, battery with { InitialSocMwh = soc, EndSocMinMwh = battery.EndSocFloorMwh });
            for (var k = 0; k < length; k++) committed[day + k] = plan.DischargeMw[k] - plan.ChargeMw[k];
            soc = plan.SocMwh[^1];
        }
        var executed = RollingHorizon.Simulate(prices, stepHours, battery, horizonSteps, PriceForecast.DayAhead).Executed;

        double committedRevenue = 0, cost = 0, deviation = 0;
        var unpriced = 0;
        for (var t = 0; t < n; t++)
        {
            committedRevenue += prices[t] * stepHours * committed[t];
            var net = executed.DischargeMw[t] - executed.ChargeMw[t];
            if (imbalance.At(times[t]) is { } price)
            {
                var (mwh, settled) = ImbalanceSettlement.Settle(committed[t], net * stepHours, stepHours, price.Surplus, price.Shortfall);
                deviation += Math.Abs(mwh);
                cost += settled;
            }
            else if (Math.Abs(net - committed[t]) > 1e-9) unpriced++;
        }
        return new DayAheadCommitmentReport(committedRevenue, executed.RevenueEur, cost, deviation, unpriced);
    }
}
