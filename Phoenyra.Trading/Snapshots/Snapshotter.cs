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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Snapshots;
        if (!settings.Enabled) return;
        // The desk starts first: the replica's own replay waits, so it does not compete with the start for the CPU.
        try { await Task.Delay(StartDelay, stoppingToken); }
        catch (OperationCanceledException) { return; }
        var replica = new JournalReplay(replicaEngines(new Positions.Portfolio(options)), logger);
        if (snapshots.Latest() is { } start) replica.Restore(start);
        else foreach (var record in journal.FirstFormat()) replica.Apply(record);
        var saved = replica.Records;
        var failing = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var (seq, data) in journal.BlocksAfter(replica.BlockSeq))
                    {
                        replica.ApplyBlock(seq, data);
                        if (stoppingToken.IsCancellationRequested) break;
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
                catch (Microsoft.Data.Sqlite.SqliteException ex) when (!failing)
                {
                    // Snapshots only shorten the next start; the journal stays the record. Retried every second.
                    failing = true;
                    logger.LogWarning("Engine snapshot not taken: {Problem}; retrying", ex.Message);
                }
                catch (Microsoft.Data.Sqlite.SqliteException) { }
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) { }
    }
}
