using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Streams;

internal sealed class StreamMetrics : IMetricSet
{
    public StreamMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Streams");
        Connections = meter.CreateUpDownCounter<long>(
            "pho_ws_connections", description: "Open WebSocket stream connections, by stream.");
        Messages = meter.CreateCounter<long>(
            "pho_ws_messages_total", description: "Signed messages queued to WebSocket clients, by stream.");
        Replayed = meter.CreateCounter<long>(
            "pho_ws_replayed_messages_total", description: "Messages re-sent to clients resuming with since=, by stream.");
        Dropped = meter.CreateCounter<long>(
            "pho_ws_dropped_clients_total", description: "WebSocket clients disconnected by the server, by stream and reason (slow_consumer, key_revoked).");
        Refused = meter.CreateCounter<long>(
            "pho_ws_refused_total", description: "Stream connections refused before the upgrade, by reason (key_limit, server_limit).");
        EventErrors = meter.CreateCounter<long>(
            "pho_ws_event_errors_total", description: "Engine events that could not be turned into a stream message (logged and skipped), by event.");
    }

    public UpDownCounter<long> Connections { get; }
    public Counter<long> Messages { get; }
    public Counter<long> Replayed { get; }
    public Counter<long> Dropped { get; }
    public Counter<long> Refused { get; }
    public Counter<long> EventErrors { get; }
}
