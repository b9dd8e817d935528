namespace Phoenyra.Core.Storage;

/// <summary>
/// One schema step of one module, in each provider's SQL. Versions count up from 1 per module; a step
/// runs once, in its own transaction, and is recorded in <c>schema_migrations</c>. A PostgreSQL store
/// starts from the current schema, so its script may differ in shape from SQLite's history (or be a
/// no-op when the step only converted old SQLite data).
/// </summary>
public sealed record Migration(string Module, int Version, string Name, string Sqlite, string Postgres)
{
    public string SqlFor(StoreProvider provider) => provider == StoreProvider.Postgres ? Postgres : Sqlite;
}
