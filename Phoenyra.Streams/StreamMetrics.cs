using System.Diagnostics.Metrics;

namespace Phoenyra.Streams;

internal static class StreamMetrics
{
    public static readonly Meter Meter = new("Phoenyra.Streams");

    public static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>(
        "pho_ws_connections", description: "Open WebSocket stream connections, by stream.");

    public static readonly Counter<long> Messages = Meter.CreateCounter<long>(
        "pho_ws_messages_total", description: "Signed messages queued to WebSocket clients, by stream.");

    public static readonly Counter<long> Replayed = Meter.CreateCounter<long>(
        "pho_ws_replayed_messages_total", description: "Messages re-sent to clients resuming with since=, by stream.");

    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>(
        "pho_ws_dropped_clients_total", description: "WebSocket clients disconnected by the server, by stream and reason (slow_consumer, shutdown).");
}
