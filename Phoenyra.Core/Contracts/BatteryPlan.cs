using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>Asks the BESS planner for the battery's plan as of now (the auto-trader strategy asks on every bar).</summary>
public sealed record GetBatteryPlan : ICommand<BatteryPlan>;

/// <summary>Where a price forecast came from (day-ahead, yesterday, latest) and how much of each.</summary>
public sealed record ForecastSource(string Kind, string Detail);

/// <summary>A period of the plan: its forecast price and the power planned for it (MW, + discharge).</summary>
public sealed record PlannedPeriod(DateTimeOffset Start, double ForecastPrice, double PlannedMw);

/// <summary>
/// The battery's plan for the current period of <paramref name="Market"/>: the power to trade
/// (<paramref name="TargetMw"/>, + discharge → sell), the reference price and how far through it a
/// limit goes, the lot, how old the site's telemetry is, and the periods ahead. With
/// <paramref name="Problem"/> (no telemetry, no price yet) there is nothing to trade.
/// </summary>
public sealed record BatteryPlan(
    string Market,
    string Site,
    DateTimeOffset PeriodStart,
    double StepMinutes,
    double TargetMw,
    decimal? Reference,
    decimal LimitOffsetEur,
    decimal LotMw,
    double? TelemetryAgeSeconds,
    string? Problem,
    ForecastSource? Forecast,
    IReadOnlyList<PlannedPeriod> Ahead);
