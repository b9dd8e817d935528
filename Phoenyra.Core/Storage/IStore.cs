using System.Data.Common;

namespace Phoenyra.Core.Storage;

/// <summary>
/// The one place that opens connections to the store, on SQLite or PostgreSQL. Stores write SQL both
/// understand: <c>@name</c> parameters (<see cref="StoreCommands.Parameter"/>), <c>ON CONFLICT</c>
/// upserts, <c>RETURNING</c>; where the dialects differ, they ask <see cref="Provider"/>.
/// </summary>
public interface IStore
{
    StoreProvider Provider { get; }

    /// <summary>Where the store is, for people: the SQLite file's path, or the PostgreSQL host, port and database (never the password).</summary>
    string Location { get; }

    /// <summary>Full path of the SQLite database file; empty on PostgreSQL.</summary>
    string DatabasePath { get; }

    /// <summary>True once every registered migration has been applied.</summary>
    bool IsReady { get; }

    /// <summary>Applies pending migrations (the host does this at start-up; command-line tools call it).</summary>
    int Migrate();

    /// <summary>An open connection with the house settings applied; the caller disposes it.</summary>
    DbConnection Open();

    /// <summary>
    /// One statement with positional parameters (<c>?1</c>, <c>?2</c>…) run for many rows of a batch in the
    /// connection's current transaction; call <see cref="IBatchStatement.Flush"/> before committing.
    /// </summary>
    IBatchStatement Prepare(DbConnection connection, string sql);

    /// <summary>
    /// For derived views (the journal is the record): this connection's commits do not wait for their
    /// own disk flush, so they never hold up the journal's. A crash may lose the last of them; they are rebuilt.
    /// </summary>
    void RelaxDurability(DbConnection connection);

    /// <summary>Listens on <paramref name="channel"/> (an identifier) for the notifications other desks send; the caller disposes it.</summary>
    IStoreSignal Listen(string channel);
}
