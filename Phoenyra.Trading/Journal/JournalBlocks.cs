using System.Data.Common;
using Phoenyra.Core.Storage;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// The journal's blocks in the store (<c>j.journal_blocks</c>): a group commit written as blocks in one
/// transaction, numbered by the writer, with the term on PostgreSQL; and the blocks read back in order.
/// </summary>
internal static class JournalBlocks
{
    /// <summary>
    /// A group commit's records go in blocks of about this size: under the runtime's large-object
    /// threshold (85,000 bytes), so every block written or read back (the snapshotter, the trade
    /// history) is a short-lived small array. One block per commit of a thousand orders was
    /// 150 KB, and those arrays forced a full collection several times a second.
    /// </summary>
    public const int BlockBytes = 60 * 1024;

    /// <summary>The insert for this provider: on PostgreSQL a block carries its leader term (the store refuses an old one).</summary>
    public static string InsertSql(StoreProvider provider) => provider == StoreProvider.Postgres
        ? "INSERT INTO j.journal_blocks(seq, records, data, term) VALUES (?1, ?2, ?3, ?4)"
        : "INSERT INTO j.journal_blocks(seq, records, data) VALUES (?1, ?2, ?3)";

    /// <summary>
    /// Blocks after <paramref name="afterSeq"/>, at most <paramref name="limit"/>, in order; <paramref name="schema"/>
    /// is <c>j</c> on a connection from <see cref="JournalFile.Open"/>, <c>main</c> on a SQLite connection to journal.db itself.
    /// </summary>
    public static IEnumerable<(long Seq, byte[] Data)> After(DbConnection connection, long afterSeq, int limit, string schema = "j")
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT seq, data FROM {schema}.journal_blocks WHERE seq > @after ORDER BY seq LIMIT @limit";
        command.Parameter("@after", afterSeq);
        command.Parameter("@limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return (reader.GetInt64(0), (byte[])reader.GetValue(1));
    }

    /// <summary>Whether block <paramref name="seq"/> is this desk's (of its term, on PostgreSQL).</summary>
    public static bool Landed(DbConnection connection, long seq, long? term)
    {
        using var command = connection.Command(term is null
            ? "SELECT COUNT(*) FROM j.journal_blocks WHERE seq = @seq"
            : "SELECT COUNT(*) FROM j.journal_blocks WHERE seq = @seq AND term = @term");
        command.Parameter("@seq", seq);
        if (term is { } t) command.Parameter("@term", t);
        return command.ScalarLong() > 0;
    }

    public static long Top(DbConnection connection)
    {
        using var command = connection.Command("SELECT COALESCE(MAX(seq), 0) FROM j.journal_blocks");
        return command.ScalarLong();
    }

    /// <summary>
    /// One group commit: the batch's records in blocks of about <see cref="BlockBytes"/> numbered from
    /// <paramref name="seq"/>, one transaction; returns the next free seq. The writer numbers the blocks
    /// itself, so a retry after a lost answer finds its own blocks instead of writing them twice.
    /// </summary>
    public static long Commit(DbConnection connection, IBatchStatement insert, JournalBlockWriter block, IEnumerable<IReadOnlyList<JournalRecord>> batch, long seq, long? term)
    {
        var transaction = connection.BeginTransaction();
        try
        {
            block.Reset();
            var inBlock = 0;
            void Flush()
            {
                if (inBlock == 0) return;
                insert.Bind(1, seq++);
                insert.Bind(2, inBlock);
                insert.Bind(3, block.Written.Span);
                if (term is { } t) insert.Bind(4, t);
                insert.Run();
                block.Reset();
                inBlock = 0;
            }
            foreach (var records in batch)
                foreach (var record in records)
                {
                    JournalCodec.Write(block, record);
                    inBlock++;
                    if (block.Length >= BlockBytes) Flush();
                }
            Flush();
            insert.Flush();
            transaction.Commit();
            return seq;
        }
        finally
        {
            // After SQLITE_FULL or an I/O error SQLite has rolled back itself; a second rollback would hide the real reason.
            try { transaction.Dispose(); } catch (DbException) { }
        }
    }
}
