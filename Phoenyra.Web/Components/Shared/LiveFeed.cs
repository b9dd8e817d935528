using System.Diagnostics.Metrics;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Web.Components.Shared;

/// <summary>
/// A component's push feed of one bus event type: drains whatever arrived into one batch, so a burst
/// costs one render. Bounded and drop-oldest like every bus feed, so a slow browser never slows the engine.
/// </summary>
internal sealed class LiveFeed<TEvent> : IDisposable where TEvent : IEvent
{
    private readonly IEventSubscription<TEvent> _subscription;
    private readonly DashboardMetrics _metrics;
    private readonly CancellationTokenSource _stop = new();

    internal LiveFeed(IBus bus, DashboardMetrics metrics, int capacity)
    {
        _subscription = bus.Subscribe<TEvent>(capacity);
        _metrics = metrics;
    }

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
                    _metrics.FeedErrors.Add(1, new KeyValuePair<string, object?>("event", typeof(TEvent).Name));
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

/// <summary>Where components get their feeds: one per component and event type.</summary>
internal sealed class LiveFeeds(IBus bus, DashboardMetrics metrics)
{
    /// <summary>Subscribes now (so nothing is missed while the component loads its first state) and delivers batches once <see cref="LiveFeed{TEvent}.Start"/> is called.</summary>
    public LiveFeed<TEvent> Subscribe<TEvent>(int capacity = LiveFeedCapacity.Default) where TEvent : IEvent => new(bus, metrics, capacity);
}

/// <summary>Feed sizes: enough for a burst between two renders; older items are dropped, never the engine slowed.</summary>
internal static class LiveFeedCapacity
{
    public const int Default = 1024;
    public const int Chart = 256;
    public const int State = 64;
}

internal sealed class DashboardMetrics : IMetricSet
{
    public DashboardMetrics(IMeterFactory meters) =>
        FeedErrors = meters.Create("Phoenyra.Web").CreateCounter<long>(
            "pho_dashboard_update_errors_total", description: "Dashboard panel updates that failed (the panel keeps its feed), by event.");

    public Counter<long> FeedErrors { get; }
}
