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
            "pho_ws_dropped_clients_total", description: "WebSocket clients disconnected by the server, by stream and reason (slow_consumer, shutdown).");
    }

    public UpDownCounter<long> Connections { get; }
    public Counter<long> Messages { get; }
    public Counter<long> Replayed { get; }
    public Counter<long> Dropped { get; }
}
