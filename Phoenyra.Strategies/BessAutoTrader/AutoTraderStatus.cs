using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.BessAutoTrader;

/// <summary>One product period: what the plan wanted (MW, + discharge) and what was traded.</summary>
public sealed record AutoTraderPeriod(DateTimeOffset Start, double PlannedMw, double ExecutedMw, string? LastDenial);

/// <summary>What the auto-trader strategy shows: its latest plan, what it is doing or why it is idle, and its recent periods.</summary>
public sealed record AutoTraderView(string Market, string Account, DateTimeOffset? LastPlan, string? LastProblem, IReadOnlyList<AutoTraderPeriod> Periods,
    string Activity, ForecastSource? Forecast, IReadOnlyList<PlannedPeriod> Ahead);

/// <summary>
/// The auto-trader as an operator follows it (<c>GET /api/bess/autotrader</c>): on while its strategy
/// runs, its state under the runtime (stopped, running, halted by its kill switch, faulted), what it
/// does, when it planned and plans next, and its recent periods.
/// </summary>
public sealed record AutoTraderStatus(bool Enabled, string State, string Market, string Account, DateTimeOffset? LastPlan, string? LastProblem,
    IReadOnlyList<AutoTraderPeriod> Periods, string Activity, DateTimeOffset? NextPlan, ForecastSource? Forecast, IReadOnlyList<PlannedPeriod> Ahead,
    string? Fault, KillSwitchTrip? LastTrip)
{
    internal static AutoTraderStatus Of(StrategyStatus status, double barSeconds)
    {
        var view = (AutoTraderView)status.View;
        var running = status.State == StrategyState.Running;
        var activity = status.State switch
        {
            StrategyState.Running => view.Activity,
            StrategyState.Halted => $"halted by its kill switch: {status.LastTrip?.Trigger} — {status.LastTrip?.Reason}; an operator must reset it",
            StrategyState.Faulted => $"faulted: {status.Fault}",
            _ => "switched off",
        };
        return new(running, Codes.Of(status.State), view.Market, view.Account, view.LastPlan, view.LastProblem, view.Periods, activity,
            running && view.LastPlan is { } last ? last.AddSeconds(barSeconds) : null, view.Forecast, view.Ahead, status.Fault, status.LastTrip);
    }
}
