using System.Data.Common;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Snapshots;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// A standby's engines follow the leader: each committed journal block (woken by the store's notification, or
/// every <see cref="PollInterval"/>) goes through the engines' loops and its events onto the bus, so books, orders,
/// positions and marks are current, and dashboards and streams move. <c>pho_cluster_standby_lag_records</c> says
/// how far behind it is. Runs on a thread of its own until the desk is elected, then <see cref="CatchUp"/> takes the rest.
/// </summary>
internal sealed class JournalFollower(JournalReplay replay, TradeJournal journal, IStore store, IBus bus, ClusterMetrics metrics, ILogger logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Blocks applied between two looks at the lag (about 100,000 records at most).</summary>
    private const int Pass = 64;

    private readonly CancellationTokenSource _stop = new();
    private Task? _running;
    private volatile bool _broken;

    /// <summary>True once a block could not be applied: the engines are no faithful copy of the journal, and this desk must restart before it may lead.</summary>
    public bool Broken => _broken;

    /// <summary>Where the engines are in the journal.</summary>
    public JournalReplay Replay => replay;

    public void Start() => _running = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Stops following (at a block boundary) and waits for it.</summary>
    public async Task Stop()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null) await _running.ConfigureAwait(false);
    }

    /// <summary>Applies every block committed after the last one applied; false when stopped first.</summary>
    public bool CatchUp(CancellationToken stop = default)
    {
        while (true)
        {
            var applied = 0;
            foreach (var (seq, data) in journal.BlocksAfter(replay.BlockSeq, Pass))
            {
                foreach (var @event in replay.FollowBlock(seq, data).GetAwaiter().GetResult())
                    Wait(TradeJournal.Publish(bus, @event));
                applied++;
            }
            metrics.StandbyLag = applied == Pass ? journal.RecordsAfter(replay.BlockSeq) : 0;
            if (applied < Pass) return true;
            if (stop.IsCancellationRequested) return false;
        }
    }

    private void Run()
    {
        Thread.CurrentThread.Name = "journal follower";
        var stop = _stop.Token;
        IStoreSignal? signal = null;
        var failing = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                signal ??= store.Listen(JournalSchema.Channel); // before looking, so no block committed meanwhile goes unannounced
                if (_broken) metrics.StandbyLag = journal.RecordsAfter(replay.BlockSeq);
                else if (!CatchUp(stop)) break;
                if (failing) logger.LogInformation("Following the journal again at block {Block}", replay.BlockSeq);
                failing = false;
                signal.Wait(PollInterval);
            }
            catch (DbException ex)
            {
                if (!failing) logger.LogWarning("Following the journal stopped at block {Block}: {Problem}; retrying every second", replay.BlockSeq, ex.Message);
                failing = true;
                signal?.Dispose();
                signal = null;
                stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Applying the block again could apply part of it twice: this standby stops following, its lag grows
                // (StandbyLagging alerts), and it must be restarted before it may take over.
                logger.LogCritical(ex, "Following the journal failed at block {Block}; this standby no longer follows: restart it", replay.BlockSeq);
                _broken = true;
            }
        }
        signal?.Dispose();
    }

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
    }
}
