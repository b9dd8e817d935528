using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core.Tests.Storage;

/// <summary>The store contract on SQLite, and what only a SQLite file does.</summary>
public sealed class SqliteStoreTests : StoreContract
{
    private readonly TempFolder _folder = new();

    private string DbPath => Path.Combine(_folder.Path, "phoenyra.db");

    protected override IStore Store(params Migration[] migrations) => new SqliteStore(DbPath, migrations, Clock, NullLogger<SqliteStore>.Instance);

    protected override List<string> Columns(IStore store, string table) => Rows(store, $"SELECT name FROM pragma_table_info('{table}')");

    protected override bool HasTables() => File.Exists(DbPath);

    public override void Dispose() => _folder.Dispose();

    [Fact]
    public void Open_UsesWriteAheadLogging()
    {
        var store = Store(Orders1);
        store.Migrate();

        Assert.Equal(["wal"], Rows(store, "PRAGMA journal_mode"));
        Assert.Equal(["1"], Rows(store, "PRAGMA foreign_keys"));
        Assert.Equal((StoreProvider.Sqlite, DbPath), (store.Provider, store.Location));
    }
}
