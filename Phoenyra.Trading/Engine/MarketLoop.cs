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
    private volatile bool _standingBy;

    /// <summary>
    /// The desk stands by (a cluster's standby): commands are refused at once (<see cref="NotLeaderException"/>)
    /// and reference prices dropped; reads and the journal's records (<see cref="Read{T}"/>) still run.
    /// </summary>
    public void StandBy() => _standingBy = true;

    /// <summary>Elected: the loop takes commands from now on.</summary>
    public void Lead() => _standingBy = false;

    /// <summary>
    /// Runs the loop on a thread of its own: the engine never waits in the thread pool's queue behind
    /// the requests it is serving, and an idle loop blocks instead of holding a pool thread.
    /// </summary>
    public Task Run(CancellationToken stop) => Task.Factory.StartNew(() =>
    {
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

    /// <summary>Posts work nobody waits for (a reference price, say); dropped once the loop is stopped, or while it stands by.</summary>
    public void Post(Action work)
    {
        if (!_standingBy) _inbox.Writer.TryWrite(work);
    }

    /// <summary>Posts a command that completes <typeparamref name="T"/>'s task itself; an exception fails the task. Refused while the loop stands by.</summary>
    public Task<T> Enqueue<T>(Action<TaskCompletionSource<T>> work) =>
        _standingBy ? Task.FromException<T>(new NotLeaderException($"This desk stands by: orders for {market} are taken by the leader.")) : Read(work);

    /// <summary>Posts a read, or the journal's records on a standby: runs whether the loop leads or stands by.</summary>
    public Task<T> Read<T>(Action<TaskCompletionSource<T>> work)
    {
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
