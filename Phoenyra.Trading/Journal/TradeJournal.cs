using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// The durable order journal. Engine loops append an order's records with its events; one writer
/// commits everything waiting in one transaction (group commit, synchronous=FULL), then
/// acknowledges each append and publishes its events in journal order. Nothing is acknowledged
/// or published before it is on disk. When the store refuses a commit (disk full, read-only file,
/// I/O error) the batch is held and retried until it commits — its orders are acknowledged late,
/// never lost or half-applied — and <see cref="Unavailable"/> says why, so new orders are refused.
/// </summary>
internal sealed class TradeJournal(IStore store, IBus bus, TradingMetrics metrics, ILogger<TradeJournal> logger) : IAsyncDisposable
{
    public static readonly Migration Schema = new("trading", 1, "order journal", """
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            time_utc TEXT NOT NULL,
            market TEXT NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL);
        """);

    /// <summary>
    /// The compact journal: blocks of up to ~60 KB, written by the group commit (<see cref="JournalCodec"/>), in its own file
    /// (<see cref="JournalFile"/>). The JSON rows of <c>journal</c> written before it stay where they
    /// are and are replayed first; the trade history gets a watermark for the blocks.
    /// </summary>
    public static readonly Migration CompactSchema = new("trading", 5, "compact journal blocks", """
        ALTER TABLE trade_history_watermark ADD COLUMN block_seq INTEGER NOT NULL DEFAULT 0;
        """);

    /// <summary>The JSON encoding of the first journal format (table <c>journal</c>), read at replay.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<Append> _queue = Channel.CreateUnbounded<Append>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;
    private volatile string? _unavailable;

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
        var append = new Append(records, events, committed ?? (_ => { }));
        if (!_queue.Writer.TryWrite(append)) append.Committed(new InvalidOperationException("The journal is closed."));
    }

    /// <summary>Every record in order: the first format's JSON rows, then the blocks.</summary>
    public IEnumerable<JournalRecord> ReadAll() =>
        FirstFormat().Concat(BlocksAfter(0).SelectMany(b => JournalCodec.Read(b.Data)));

    /// <summary>The first format's JSON rows (table <c>journal</c>), in order.</summary>
    public IEnumerable<JournalRecord> FirstFormat()
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM journal ORDER BY seq";
        using var rows = command.ExecuteReader();
        while (rows.Read())
            yield return JsonSerializer.Deserialize<JournalRecord>(rows.GetString(0), Json)!;
    }

    /// <summary>The blocks after <paramref name="afterSeq"/>, in order (decode with <see cref="JournalCodec.Read"/>).</summary>
    public IEnumerable<(long Seq, byte[] Data)> BlocksAfter(long afterSeq)
    {
        using var connection = JournalFile.Open(store);
        foreach (var block in Blocks(connection, afterSeq, int.MaxValue)) yield return block;
    }

    /// <summary>
    /// Blocks after <paramref name="afterSeq"/>, at most <paramref name="limit"/>, in order; <paramref name="schema"/>
    /// is <c>j</c> on a connection from <see cref="JournalFile.Open"/>, <c>main</c> on one to journal.db itself.
    /// </summary>
    internal static IEnumerable<(long Seq, byte[] Data)> Blocks(SqliteConnection connection, long afterSeq, int limit, string schema = "j")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, data FROM {schema}.journal_blocks WHERE seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return (reader.GetInt64(0), (byte[])reader.GetValue(1));
    }

    public long Count()
    {
        using var connection = JournalFile.Open(store);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM journal) + (SELECT COALESCE(SUM(records), 0) FROM j.journal_blocks)";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// A group commit's records go in blocks of about this size: under the runtime's large-object
    /// threshold (85,000 bytes), so every block written or read back (the snapshotter, the trade
    /// history) is a short-lived small array. One block per commit of a thousand orders was
    /// 150 KB, and those arrays forced a full collection several times a second.
    /// </summary>
    private const int BlockBytes = 60 * 1024;

    private void WriteLoop()
    {
        Thread.CurrentThread.Name = "journal writer";
        using var connection = JournalFile.Open(store);
        // Bound straight from the block buffer: no copy of each block into a new array.
        using var insert = new BatchStatement(connection, "INSERT INTO j.journal_blocks(records, data) VALUES (?1, ?2)");
        var block = new JournalBlockWriter();
        var batch = new List<Append>(256);
        var reader = _queue.Reader;
        while (Wait(reader.WaitToReadAsync()))
        {
            batch.Clear();
            while (batch.Count < 4096 && reader.TryRead(out var item)) batch.Add(item);
            var started = Stopwatch.GetTimestamp();
            DateTimeOffset? failingSince = null;
            while (true)
            {
                try
                {
                    var transaction = connection.BeginTransaction();
                    try
                    {
                        block.Reset();
                        var records = 0;
                        void Flush()
                        {
                            if (records == 0) return;
                            insert.Bind(1, records);
                            insert.Bind(2, block.Written.Span);
                            insert.Run();
                            block.Reset();
                            records = 0;
                        }
                        foreach (var append in batch)
                            foreach (var record in append.Records)
                            {
                                JournalCodec.Write(block, record);
                                records++;
                                if (block.Length >= BlockBytes) Flush();
                            }
                        Flush();
                        transaction.Commit();
                    }
                    finally
                    {
                        // After SQLITE_FULL or an I/O error SQLite has rolled back itself; a second rollback would hide the real reason.
                        try { transaction.Dispose(); } catch (SqliteException) { }
                    }
                    break;
                }
                catch (SqliteException ex)
                {
                    // The books already hold this batch: it must reach the journal, so hold it and retry; refuse new orders meanwhile.
                    if (failingSince is null)
                    {
                        failingSince = DateTimeOffset.UtcNow;
                        _unavailable = ex.Message;
                        metrics.JournalFailures.Add(1);
                        logger.LogCritical(ex, "Journal commit failed ({Problem}); {Count} orders wait for it, new orders are refused until it commits", ex.Message, batch.Count);
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
            foreach (var append in batch)
                foreach (var @event in append.Events)
                    Wait(PublishBoxed(@event));
        }
    }

    private static bool Wait(ValueTask<bool> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
    }

    private ValueTask PublishBoxed(IEvent @event) => @event switch
    {
        Core.Contracts.OrderUpdated e => bus.Publish(e),
        Core.Contracts.TradeExecuted e => bus.Publish(e),
        Core.Contracts.MarkUpdated e => bus.Publish(e),
        Core.Contracts.PositionChanged e => bus.Publish(e),
        Core.Contracts.OrderRejected e => bus.Publish(e),
        _ => throw new InvalidOperationException($"Unexpected journal event {@event.GetType().Name}"),
    };

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null) await _writer.ConfigureAwait(false);
    }
}
