using System.Diagnostics.Metrics;

namespace Phoenyra.Core.Messaging;

/// <summary>The bus's own instruments (exported by the Prometheus exporter like every Phoenyra meter).</summary>
internal static class CoreMetrics
{
    public static readonly Meter Meter = new("Phoenyra.Core");

    public static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "pho_bus_commands_total", description: "Commands dispatched on the bus, by command and outcome (ok, invalid, error).");

    public static readonly Histogram<double> CommandDuration = Meter.CreateHistogram(
        "pho_bus_command_duration_seconds", unit: "s", description: "Time from Send to handler completion, including behaviours.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1] });

    public static readonly Counter<long> HandlerErrors = Meter.CreateCounter<long>(
        "pho_bus_handler_errors_total", description: "Event handlers that threw (the error is logged and the other handlers still run).");

    public static readonly Counter<long> SubscriberDrops = Meter.CreateCounter<long>(
        "pho_bus_subscriber_drops_total", description: "Events dropped from slow subscriber feeds (dashboards) instead of blocking publishers.");
}
