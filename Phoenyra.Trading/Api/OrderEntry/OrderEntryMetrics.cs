using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Trading.Api.OrderEntry;

/// <summary>The order-entry socket's instruments.</summary>
internal sealed class OrderEntryMetrics : IMetricSet
{
    public OrderEntryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Trading.OrderEntry");
        Connections = meter.CreateUpDownCounter<long>("pho_order_entry_connections", description: "Order-entry WebSocket connections open.");
        Orders = meter.CreateCounter<long>("pho_order_entry_requests_total", description: "Requests (submits and cancels) answered on order-entry connections.");
        Frames = meter.CreateCounter<long>("pho_order_entry_frames_total", description: "Frames sent on order-entry connections (each carries one or more answers).");
        Refused = meter.CreateCounter<long>("pho_order_entry_refused_total", description: "Order-entry connections refused, by reason.");
        Disconnects = meter.CreateCounter<long>("pho_order_entry_disconnects_total", description: "Order-entry connections the desk closed, by reason (not_reading: replies piled up unread).");
    }

    public UpDownCounter<long> Connections { get; }
    public Counter<long> Orders { get; }
    public Counter<long> Frames { get; }
    public Counter<long> Refused { get; }
    public Counter<long> Disconnects { get; }
}
