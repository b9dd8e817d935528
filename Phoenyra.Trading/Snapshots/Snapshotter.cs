using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Snapshots;

/// <summary>
/// Keeps a replica of the engines by replaying the committed journal behind the live desk, and saves
/// its state every <see cref="SnapshotOptions.EveryRecords"/> records: a snapshot is consistent by
/// construction (it is exactly the journal up to a block), and the live engines never pause for it.
/// </summary>
internal sealed class Snapshotter(
    IOptions<TradingOptions> options, TradeJournal journal, SnapshotStore snapshots, Func<Positions.Portfolio, IReadOnlyDictionary<string, MatchingEngine>> replicaEngines,
    TimeProvider time, ILogger<Snapshotter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartDelay = TimeSpan.FromSeconds(3);

    /// <summary>On a thread of its own at low priority: its replay and saves come in bursts the order path should not feel.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.Snapshots.Enabled
            ? Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.CompletedTask;

    private void Run(CancellationToken stop)
    {
        Thread.CurrentThread.Name = "snapshotter";
        LowPriority.ForThisThread();
        var settings = options.Value.Snapshots;
        // The desk starts first: the replica's own replay waits, so it does not compete with the start for the CPU.
        if (stop.WaitHandle.WaitOne(StartDelay)) return;
        var replica = new JournalReplay(replicaEngines(new Positions.Portfolio(options)), logger);
        if (snapshots.Latest() is { } start) replica.Restore(start);
        else foreach (var record in journal.FirstFormat()) replica.Apply(record);
        var saved = replica.Records;
        var failing = false;
        do
        {
            try
            {
                foreach (var (seq, data) in journal.BlocksAfter(replica.BlockSeq))
                {
                    replica.ApplyBlock(seq, data);
                    if (stop.IsCancellationRequested) return;
                }
                if (replica.Records - saved >= settings.EveryRecords)
                {
                    var started = Stopwatch.GetTimestamp();
                    snapshots.Save(replica.Capture(time.GetUtcNow()), settings.Keep);
                    saved = replica.Records;
                    logger.LogInformation("Engine snapshot at journal block {Block} ({Records} records) saved in {Ms} ms",
                        replica.BlockSeq, replica.Records, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                failing = false;
            }
            catch (System.Data.Common.DbException ex)
            {
                // Snapshots only shorten the next start; the journal stays the record. Retried every second.
                if (!failing) logger.LogWarning("Engine snapshot not taken: {Problem}; retrying", ex.Message);
                failing = true;
            }
        } while (!stop.WaitHandle.WaitOne(Interval));
    }
}
