using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// Where the engines' events reach the other modules: one dispatcher thread publishes them on the bus in the order
/// they were handed over — by the journal writer once a batch is durable (the leader), or by a standby's engines as
/// they apply the journal they follow — so neither the writer nor the engines wait for the handlers. Bounded: a
/// writer far ahead of slow handlers waits for them, as it did when it ran them itself.
/// </summary>
internal sealed class EngineEvents(IBus bus, ILogger<EngineEvents> logger) : IAsyncDisposable
{
    /// <summary>Batches waiting to be published before a hand-over waits (a batch is one group commit's events, or one market's share of a followed pass).</summary>
    public const int Capacity = 4096;

    private readonly Channel<IReadOnlyList<IEvent>> _queue = Channel.CreateBounded<IReadOnlyList<IEvent>>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly Lock _gate = new();
    private Task? _dispatcher;

    /// <summary>Hands events over for publishing, in order; waits while <see cref="Capacity"/> batches are queued.</summary>
    public void Post(IReadOnlyList<IEvent> events)
    {
        if (events.Count == 0) return;
        if (_dispatcher is null) lock (_gate) _dispatcher ??= Task.Factory.StartNew(Dispatch, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (_queue.Writer.TryWrite(events)) return;
        try { _queue.Writer.WriteAsync(events).AsTask().GetAwaiter().GetResult(); }
        catch (ChannelClosedException) { } // shut down: nobody is left to tell
    }

    private void Dispatch()
    {
        Thread.CurrentThread.Name = "engine events";
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            while (reader.TryRead(out var events))
                foreach (var @event in events)
                {
                    // Handlers' own failures are caught by the bus; this is a contract broken in the engine.
                    try { Wait(Publish(@event)); }
                    catch (InvalidOperationException ex) { logger.LogError(ex, "Engine event not published"); }
                }
    }

    private ValueTask Publish(IEvent @event) => @event switch
    {
        OrderUpdated e => bus.Publish(e),
        TradeExecuted e => bus.Publish(e),
        MarkUpdated e => bus.Publish(e),
        PositionChanged e => bus.Publish(e),
        OrderRejected e => bus.Publish(e),
        _ => throw new InvalidOperationException($"Unexpected engine event {@event.GetType().Name}"),
    };

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Publishes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_dispatcher is not null) await _dispatcher.ConfigureAwait(false);
    }
}
