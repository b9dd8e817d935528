using Microsoft.Data.Sqlite;

namespace Phoenyra.Core.Storage;

/// <summary>The one place that opens connections to the SQLite store.</summary>
public interface IStore
{
    /// <summary>Full path of the database file.</summary>
    string DatabasePath { get; }

    /// <summary>True once every registered migration has been applied.</summary>
    bool IsReady { get; }

    /// <summary>Applies pending migrations (the host does this at start-up; command-line tools call it).</summary>
    int Migrate();

    /// <summary>An open connection with the house pragmas applied; the caller disposes it.</summary>
    SqliteConnection Open();
}
