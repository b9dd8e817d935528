using System.Threading.Channels;

namespace Phoenyra.Core.Messaging;

/// <summary>Copy-on-write list of bounded, drop-oldest feeds for one event type.</summary>
internal sealed class SubscriberList<TEvent>(CoreMetrics metrics) where TEvent : IEvent
{
    private readonly CoreMetrics _metrics = metrics;
    private Subscription[] _items = [];
    private readonly Lock _gate = new();

    public void Offer(TEvent @event)
    {
        foreach (var subscription in Volatile.Read(ref _items))
            subscription.Writer.TryWrite(@event);
    }

    public IEventSubscription<TEvent> Add(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new Subscription(this, capacity);
        lock (_gate) _items = [.. _items, subscription];
        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate) _items = _items.Where(s => s != subscription).ToArray();
    }

    private sealed class Subscription : IEventSubscription<TEvent>
    {
        private readonly SubscriberList<TEvent> _owner;
        private readonly Channel<TEvent> _channel;
        private long _dropped;

        public Subscription(SubscriberList<TEvent> owner, int capacity)
        {
            _owner = owner;
            var options = new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            };
            _channel = Channel.CreateBounded<TEvent>(options, _ =>
            {
                Interlocked.Increment(ref _dropped);
                _owner._metrics.SubscriberDrops.Add(1, new KeyValuePair<string, object?>("event", typeof(TEvent).Name));
            });
        }

        public ChannelWriter<TEvent> Writer => _channel.Writer;
        public ChannelReader<TEvent> Reader => _channel.Reader;
        public long Dropped => Interlocked.Read(ref _dropped);

        public void Dispose()
        {
            _owner.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
