using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Cluster;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// A market's single writer: runs the work posted to it one item at a time on its own thread, so
/// whatever the work touches (book, orders, position, throttles) needs no locks.
/// </summary>
internal sealed class MarketLoop(string market, ILogger logger)
{
    private readonly Channel<Action> _inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _started, _standingBy;

    /// <summary>
    /// The desk stands by (a cluster's standby): until the loop runs, work is refused at once
    /// (<see cref="NotLeaderException"/>) and posts are dropped, instead of queueing for a start that may never come.
    /// </summary>
    public void StandBy() => _standingBy = true;

    /// <summary>
    /// Runs the loop on a thread of its own: the engine never waits in the thread pool's queue behind
    /// the requests it is serving, and an idle loop blocks instead of holding a pool thread.
    /// </summary>
    public Task Run(CancellationToken stop) => Task.Factory.StartNew(() =>
    {
        _started = true;
        Thread.CurrentThread.Name = $"engine {market}"; // shows in top -H and perf
        var reader = _inbox.Reader;
        while (true)
        {
            while (reader.TryRead(out var work))
            {
                try { work(); }
                catch (Exception ex) { logger.LogError(ex, "{Market} engine command failed", market); }
            }
            var more = reader.WaitToReadAsync(stop);
            try
            {
                if (!(more.IsCompletedSuccessfully ? more.Result : more.AsTask().GetAwaiter().GetResult())) return;
            }
            catch (OperationCanceledException) { return; }
        }
    }, stop, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Posts work nobody waits for (a reference price, say); dropped once the loop is stopped.</summary>
    public void Post(Action work)
    {
        if (_started || !_standingBy) _inbox.Writer.TryWrite(work);
    }

    /// <summary>Posts work that completes <typeparamref name="T"/>'s task itself; an exception fails the task.</summary>
    public Task<T> Enqueue<T>(Action<TaskCompletionSource<T>> work)
    {
        if (!_started && _standingBy) return Task.FromException<T>(new NotLeaderException($"This desk stands by: the {market} engine runs on the leader."));
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite(() =>
            {
                try { work(tcs); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            }))
            tcs.SetException(new InvalidOperationException($"The {market} engine is stopped."));
        return tcs.Task;
    }

    public void Stop() => _inbox.Writer.TryComplete();
}
