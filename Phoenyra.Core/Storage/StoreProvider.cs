namespace Phoenyra.Core.Storage;

/// <summary>Which database holds the store: an embedded SQLite file (the default) or a PostgreSQL server.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}
