using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Strategies.Runtime;

/// <summary>The runtime's counters, by strategy id: bars processed, faults, kill-switch trips (by trigger).</summary>
internal sealed class StrategyMetrics : IMetricSet
{
    public StrategyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Strategies");
        Bars = meter.CreateCounter<long>("pho_strategy_bars_total", description: "Bars a strategy processed.");
        Faults = meter.CreateCounter<long>("pho_strategy_faults_total", description: "Strategy callbacks that threw (the strategy cancelled its orders and stopped), by strategy and callback.");
        KillSwitchTrips = meter.CreateCounter<long>("pho_strategy_kill_switch_trips_total", description: "Strategy kill-switch trips (flattened and halted), by strategy and trigger.");
    }

    public Counter<long> Bars { get; }
    public Counter<long> Faults { get; }
    public Counter<long> KillSwitchTrips { get; }
}
