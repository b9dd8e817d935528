using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Core.Messaging;

/// <summary>The bus's and the audit log's instruments.</summary>
public sealed class CoreMetrics : IMetricSet
{
    public CoreMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Core");
        Commands = meter.CreateCounter<long>(
            "pho_bus_commands_total", description: "Commands dispatched on the bus, by command and outcome (ok, invalid, error).");
        CommandDuration = meter.CreateHistogram(
            "pho_bus_command_duration_seconds", unit: "s", description: "Time from Send to handler completion, including behaviours.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1] });
        HandlerErrors = meter.CreateCounter<long>(
            "pho_bus_handler_errors_total", description: "Event handlers that threw (the error is logged and the other handlers still run).");
        SubscriberDrops = meter.CreateCounter<long>(
            "pho_bus_subscriber_drops_total", description: "Events dropped from slow subscriber feeds (dashboards) instead of blocking publishers.");
        AuditEntries = meter.CreateCounter<long>(
            "pho_audit_entries_total", description: "Control actions written to the audit log, by result.");
    }

    internal Counter<long> Commands { get; }
    internal Histogram<double> CommandDuration { get; }
    internal Counter<long> HandlerErrors { get; }
    internal Counter<long> SubscriberDrops { get; }
    internal Counter<long> AuditEntries { get; }
}
