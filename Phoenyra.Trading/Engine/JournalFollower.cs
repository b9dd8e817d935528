using System.Data.Common;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Snapshots;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// A standby's engines follow the leader: each committed journal block (woken by the store's notification, or every
/// <see cref="PollInterval"/>) is posted to the engines' loops, which apply it and hand its events to the dispatcher the
/// leader's journal writer uses, so books, orders, positions and marks are current and dashboards and streams move.
/// <c>pho_cluster_standby_lag_records</c> says how far behind it is. It runs on a thread of its own until the desk is
/// elected; then <see cref="Stop"/>, and the takeover applies the rest (<see cref="CatchUp"/>, <see cref="WaitApplied"/>).
/// </summary>
internal sealed class JournalFollower(JournalReplay replay, TradeJournal journal, IStore store, EngineEvents events, ClusterMetrics metrics, ILogger logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How soon the lag is looked at again while posted blocks are being applied.</summary>
    private static readonly TimeSpan AppliedInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Blocks read at most at once.</summary>
    private const int Pass = 64;

    /// <summary>Passes posted ahead of the engines before reading waits for them (bounds what is decoded and queued).</summary>
    private const int Ahead = 16;

    private readonly CancellationTokenSource _stop = new();

    /// <summary>Held while blocks are read and posted: <see cref="Stop"/> takes it for good, so it waits for a pass, never for a sleep.</summary>
    private readonly SemaphoreSlim _applying = new(1, 1);

    /// <summary>Passes posted to the engines and not yet applied, oldest first.</summary>
    private readonly Queue<(Task Applied, long Records)> _posted = new();

    private volatile bool _broken;

    /// <summary>True once a block could not be applied: the engines are no faithful copy of the journal, and this desk must restart before it may lead.</summary>
    public bool Broken => _broken;

    /// <summary>Where the engines are in the journal.</summary>
    public JournalReplay Replay => replay;

    public void Start() => Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Stops following at a pass boundary: after this, only the caller reads and posts blocks.</summary>
    public async Task Stop()
    {
        if (_stop.IsCancellationRequested) return; // stopped at the takeover already
        await _stop.CancelAsync().ConfigureAwait(false);
        await _applying.WaitAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Reads every block committed after the last one read and posts it to the engines; false when stopped first.
    /// The lag is what the leader committed beyond what was read, plus what was read and not applied yet.
    /// </summary>
    public bool CatchUp(CancellationToken stop = default)
    {
        while (true)
        {
            while (_posted.Count >= Ahead) Applied(_posted.Dequeue());
            var blocks = journal.BlocksAfter(replay.BlockSeq, Pass).ToList();
            if (blocks.Count > 0) _posted.Enqueue(replay.FollowBlocks(blocks, events));
            metrics.StandbyLag = (blocks.Count == Pass ? journal.RecordsAfter(replay.BlockSeq) : 0) + Unapplied();
            if (blocks.Count < Pass) return true;
            if (stop.IsCancellationRequested) return false;
        }
    }

    /// <summary>At the takeover: waits until the engines have applied everything posted.</summary>
    public void WaitApplied()
    {
        while (_posted.TryDequeue(out var pass)) Applied(pass);
        metrics.StandbyLag = 0;
    }

    private long Unapplied()
    {
        while (_posted.TryPeek(out var pass) && pass.Applied.IsCompleted) Applied(_posted.Dequeue());
        return _posted.Sum(p => p.Records);
    }

    /// <summary>Waits for a pass; an engine that could not apply it throws here.</summary>
    private static void Applied((Task Applied, long Records) pass) => pass.Applied.GetAwaiter().GetResult();

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
                bool applying;
                _applying.Wait(stop);
                try
                {
                    if (_broken) metrics.StandbyLag = journal.RecordsAfter(replay.BlockSeq);
                    else if (!CatchUp(stop)) break;
                    applying = _posted.Count > 0;
                }
                finally { _applying.Release(); }
                if (failing) logger.LogInformation("Following the journal again at block {Block}", replay.BlockSeq);
                failing = false;
                signal.Wait(applying ? AppliedInterval : PollInterval);
            }
            catch (OperationCanceledException)
            {
                break; // stopped while waiting for its turn: the caller applies from here on
            }
            catch (DbException ex)
            {
                if (!failing) logger.LogWarning("Following the journal stopped at block {Block}: {Problem}; retrying every second", replay.BlockSeq, ex.Message);
                failing = true;
                signal?.Dispose();
                signal = null;
                stop.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            }
            catch (Exception ex)
            {
                // Applying the block again could apply part of it twice: this standby stops following, its lag grows
                // (StandbyLagging alerts), and it must be restarted before it may take over.
                logger.LogCritical(ex, "Following the journal failed at block {Block}; this standby no longer follows: restart it", replay.BlockSeq);
                _broken = true;
            }
        }
        signal?.Dispose();
    }
}
