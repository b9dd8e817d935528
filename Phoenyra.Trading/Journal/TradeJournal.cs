using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// The durable order journal. Engine loops append an order's records with its events; one writer
/// commits everything waiting in one transaction (group commit, synchronous=FULL), then
/// acknowledges each append and hands its events, in journal order, to the dispatcher (<see cref="Engine.EngineEvents"/>). Nothing is acknowledged
/// or published before it is on disk. When the store refuses a commit (disk full, read-only file,
/// I/O error) the batch is held and retried until it commits — its orders are acknowledged late,
/// never lost or half-applied — and <see cref="Unavailable"/> says why, so new orders are refused.
/// </summary>
internal sealed class TradeJournal(IStore store, Engine.EngineEvents events, ILeadership leadership, TradingMetrics metrics, ILogger<TradeJournal> logger) : IAsyncDisposable
{
    /// <summary>The JSON encoding of the first journal format (table <c>journal</c>), read at replay.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<Append> _queue = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;
    private volatile string? _unavailable;
    private volatile bool _fenced;

    /// <summary>Retry interval while the store refuses commits.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Why the journal cannot commit right now, or null when it can.</summary>
    public string? Unavailable => _unavailable;

    private sealed record Append(IReadOnlyList<JournalRecord> Records, IReadOnlyList<IEvent> Events, Action<Exception?> Committed);

    /// <summary>Starts the writer on a thread of its own: it blocks in fsync, and must not wait behind requests in the thread pool.</summary>
    public void Start() => _writer ??= Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Queues records; <paramref name="committed"/> runs on the writer once they are durable (null)
    /// or failed (the error), before the events are published. Keep it short: complete a task.
    /// </summary>
    public void Write(IReadOnlyList<JournalRecord> records, IReadOnlyList<IEvent> events, Action<Exception?>? committed = null)
    {
        if (_fenced)
        {
            committed?.Invoke(new NotLeaderException(NotTaken));
            return;
        }
        var append = new Append(records, events, committed ?? (_ => { }));
        if (!_queue.Writer.TryWrite(append)) append.Committed(new InvalidOperationException("The journal is closed."));
    }

    /// <summary>Every record in order: the first format's JSON rows, then the blocks.</summary>
    public IEnumerable<JournalRecord> ReadAll() =>
        FirstFormat().Concat(BlocksAfter(0).SelectMany(b => JournalCodec.Read(b.Data)));

    /// <summary>The first format's JSON rows (table <c>journal</c>), in order.</summary>
    public IEnumerable<JournalRecord> FirstFormat()
    {
        if (store.Provider != StoreProvider.Sqlite) yield break;
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM journal ORDER BY seq";
        using var rows = command.ExecuteReader();
        while (rows.Read())
            yield return JsonSerializer.Deserialize<JournalRecord>(rows.GetString(0), Json)!;
    }

    /// <summary>The blocks after <paramref name="afterSeq"/>, in order (decode with <see cref="JournalCodec.Read"/>).</summary>
    public IEnumerable<(long Seq, byte[] Data)> BlocksAfter(long afterSeq, int limit = int.MaxValue)
    {
        using var connection = JournalFile.Open(store);
        foreach (var block in JournalBlocks.After(connection, afterSeq, limit)) yield return block;
    }

    /// <summary>Records committed after block <paramref name="seq"/>: how far a follower at that block is behind.</summary>
    public long RecordsAfter(long seq)
    {
        using var connection = JournalFile.Open(store);
        using var command = connection.Command("SELECT COALESCE(SUM(records), 0) FROM j.journal_blocks WHERE seq > @seq");
        command.Parameter("@seq", seq);
        return command.ScalarLong();
    }

    public long Count()
    {
        using var connection = JournalFile.Open(store);
        using var command = connection.CreateCommand();
        command.CommandText = store.Provider == StoreProvider.Sqlite
            ? "SELECT (SELECT COUNT(*) FROM journal) + (SELECT COALESCE(SUM(records), 0) FROM j.journal_blocks)"
            : "SELECT COALESCE(SUM(records), 0) FROM j.journal_blocks";
        return command.ScalarLong();
    }

    private void WriteLoop()
    {
        Thread.CurrentThread.Name = "journal writer";
        DbConnection? connection = null;
        IBatchStatement? insert = null;
        var block = new JournalBlockWriter();
        var batch = new List<Append>(256);
        var reader = _queue.Reader;
        long next = 0; // the seq of the next block; 0 until read from the store
        try
        {
            while (Wait(reader.WaitToReadAsync()))
            {
                batch.Clear();
                while (batch.Count < 4096 && reader.TryRead(out var item)) batch.Add(item);
                var started = Stopwatch.GetTimestamp();
                DateTimeOffset? failingSince = null;
                long? term = store.Provider == StoreProvider.Postgres ? leadership.Term : null;
                // Events without records (a reference price moved, nothing traded) change nothing durable: no transaction.
                var durable = batch.Exists(a => a.Records.Count > 0);
                while (durable)
                {
                    try
                    {
                        if (connection is null)
                        {
                            connection = JournalFile.Open(store);
                            // Bound straight from the block buffer: no copy of each block into a new array (on SQLite).
                            insert = store.Prepare(connection, JournalBlocks.InsertSql(store.Provider));
                        }
                        if (failingSince is not null || next == 0)
                        {
                            // After a failure, look: a commit whose answer was lost (the connection dropped in COMMIT) may have landed.
                            var top = JournalBlocks.Top(connection);
                            if (failingSince is not null && next > 0 && top >= next)
                            {
                                // Blocks from there on exist: ours (the commit landed), or a newer leader's.
                                if (!JournalBlocks.Landed(connection, next, term)) Fence(batch, $"block {next} was written by a newer term");
                                next = top + 1;
                                break;
                            }
                            next = top + 1;
                        }
                        next = JournalBlocks.Commit(connection, insert!, block, batch.Select(a => a.Records), next, term);
                        break;
                    }
                    catch (DbException ex) when (ex.IsFenced())
                    {
                        Fence(batch, ex.Message);
                        break;
                    }
                    catch (DbException ex)
                    {
                        // The books already hold this batch: it must reach the journal, so hold it and retry; refuse new orders meanwhile.
                        if (failingSince is null)
                        {
                            failingSince = DateTimeOffset.UtcNow;
                            _unavailable = ex.Message;
                            metrics.JournalFailures.Add(1);
                            logger.LogCritical(ex, "Journal commit failed ({Problem}); {Count} orders wait for it, new orders are refused until it commits", ex.Message, batch.Count);
                        }
                        if (leadership.SteppedDown)
                        {
                            // No longer the leader (its lock's session went with the store): a retry could not be trusted.
                            Fence(batch, "this desk stepped down while the store was failing", Unconfirmed);
                            break;
                        }
                        // A connection the server dropped (PostgreSQL restarted, the network failed) is not reused.
                        if (connection is not null && connection.State != ConnectionState.Open)
                        {
                            insert?.Dispose();
                            connection.Dispose();
                            (connection, insert) = (null, null);
                        }
                        Thread.Sleep(RetryInterval);
                    }
                }
                if (failingSince is { } since)
                {
                    _unavailable = null;
                    logger.LogWarning("Journal commits again after {Seconds:0.0} s; {Count} orders acknowledged late", (DateTimeOffset.UtcNow - since).TotalSeconds, batch.Count);
                }
                metrics.JournalCommit.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                metrics.JournalBatch.Record(batch.Count);
                foreach (var append in batch) append.Committed(null);
                var published = new List<IEvent>();
                foreach (var append in batch) published.AddRange(append.Events);
                events.Post(published);
            }
        }
        finally
        {
            insert?.Dispose();
            connection?.Dispose();
        }
    }

    private const string NotTaken = "This desk no longer leads; the order was not taken. Send it to the leader.";

    private const string Unconfirmed = "This desk stopped leading before the store confirmed the order's commit: it may or may not be on the leader. "
        + "Look it up there (by client_order_id) before sending it again.";

    /// <summary>Another desk leads now: this batch is never acknowledged, nothing more is written, the desk steps down.</summary>
    private void Fence(List<Append> batch, string why, string answer = NotTaken)
    {
        _unavailable = "this desk no longer leads: " + why;
        _fenced = true;
        logger.LogCritical("Journal write fenced ({Problem}); {Count} orders are refused, the desk steps down", why, batch.Count);
        leadership.Fenced(why);
        var refusal = new NotLeaderException(answer);
        foreach (var append in batch) append.Committed(refusal);
        batch.Clear();
    }

    private static bool Wait(ValueTask<bool> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null) await _writer.ConfigureAwait(false);
    }
}
