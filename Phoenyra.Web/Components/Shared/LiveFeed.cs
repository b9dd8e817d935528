using System.Diagnostics.Metrics;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Web.Components.Shared;

/// <summary>
/// A component's push feed of one bus event type: drains whatever arrived into one batch, so a burst
/// costs one render. Bounded and drop-oldest like every bus feed, so a slow browser never slows the engine.
/// </summary>
internal sealed class LiveFeed<TEvent> : IDisposable where TEvent : IEvent
{
    private readonly IEventSubscription<TEvent> _subscription;
    private readonly CancellationTokenSource _stop = new();

    private LiveFeed(IBus bus, int capacity) => _subscription = bus.Subscribe<TEvent>(capacity);

    /// <summary>Subscribes now (so nothing is missed while the component loads its first state) and delivers batches once <see cref="Start"/> is called.</summary>
    public static LiveFeed<TEvent> Subscribe(IBus bus, int capacity = 1024) => new(bus, capacity);

    public void Start(Func<IReadOnlyList<TEvent>, Task> onBatch) => _ = Pump(onBatch);

    private async Task Pump(Func<IReadOnlyList<TEvent>, Task> onBatch)
    {
        var reader = _subscription.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                var batch = new List<TEvent>();
                while (reader.TryRead(out var e)) batch.Add(e);
                try
                {
                    await onBatch(batch);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException or Microsoft.JSInterop.JSDisconnectedException))
                {
                    // One failed update must not freeze the panel: count it and keep the feed alive.
                    DashboardMetrics.FeedErrors.Add(1, new KeyValuePair<string, object?>("event", typeof(TEvent).Name));
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
        catch (Microsoft.JSInterop.JSDisconnectedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _subscription.Dispose();
    }
}

internal static class DashboardMetrics
{
    private static readonly Meter Meter = new("Phoenyra.Web");

    public static readonly Counter<long> FeedErrors = Meter.CreateCounter<long>(
        "pho_dashboard_update_errors_total", description: "Dashboard panel updates that failed (the panel keeps its feed), by event.");
}
