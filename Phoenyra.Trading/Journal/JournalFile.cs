using System.Data.Common;
using Phoenyra.Core.Storage;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// The journal's blocks live in a file of their own, <c>DATA/journal.db</c>, attached to store
/// connections as <c>j</c>: SQLite locks per file, so the derived views' writes in the main store
/// (order history, trade history, telemetry) never make a journal commit wait for the lock. The
/// engine snapshots sit beside the blocks they cover. On PostgreSQL one database holds everything:
/// the blocks and snapshots are in its schema <c>j</c> (trading migration 1), and this is a plain connection.
/// </summary>
internal static class JournalFile
{
    public const string FileName = "journal.db";

    public static string PathOf(IStore store) => Path.Combine(Path.GetDirectoryName(store.DatabasePath)!, FileName);

    /// <summary>Journal files whose tables this process has made sure of: a later connection only attaches.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Prepared = new(StringComparer.Ordinal);

    /// <summary>
    /// A store connection with the journal file attached (WAL, full sync). Its tables are created on the
    /// process's first use of the file only: a table taken away later (a broken or full store, as the fault
    /// tests play it) is a failure to report, not something a new pooled connection quietly re-creates.
    /// </summary>
    public static DbConnection Open(IStore store)
    {
        var connection = store.Open();
        if (store.Provider != StoreProvider.Sqlite) return connection;
        using var command = connection.CreateCommand();
        // Pooled connections come back with the file still attached.
        command.CommandText = "SELECT COUNT(*) FROM pragma_database_list WHERE name = 'j'";
        if (command.ScalarLong() > 0) return connection;
        var path = PathOf(store);
        command.CommandText = "ATTACH DATABASE @path AS j; PRAGMA j.journal_mode=WAL; PRAGMA j.synchronous=FULL;";
        command.Parameter("@path", path);
        command.ExecuteNonQuery();
        if (Prepared.ContainsKey(path)) return connection;
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS j.journal_blocks (
                seq INTEGER PRIMARY KEY,
                records INTEGER NOT NULL,
                data BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS j.snapshots (
                id INTEGER PRIMARY KEY,
                block_seq INTEGER NOT NULL,
                taken_utc TEXT NOT NULL,
                data BLOB NOT NULL);
            """;
        command.ExecuteNonQuery();
        Prepared[path] = true;
        return connection;
    }
}
