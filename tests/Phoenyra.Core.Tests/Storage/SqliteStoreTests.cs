using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Phoenyra.Core.Tests.Storage;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 12, 1, 8, 0, 0, TimeSpan.Zero));

    private static readonly Migration Orders1 = new("trading", 1, "orders", "CREATE TABLE orders (id INTEGER PRIMARY KEY, market TEXT NOT NULL);");
    private static readonly Migration Orders2 = new("trading", 2, "order price", "ALTER TABLE orders ADD COLUMN price TEXT;");
    private static readonly Migration Audit1 = new("ops", 1, "audit", "CREATE TABLE audit (id INTEGER PRIMARY KEY);");

    private string DbPath => Path.Combine(_folder.Path, "phoenyra.db");

    private SqliteStore Store(params Migration[] migrations) => new(DbPath, migrations, _clock, NullLogger<SqliteStore>.Instance);

    public void Dispose() => _folder.Dispose();

    private static List<string> Rows(IStore store, string sql)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
        return rows;
    }

    [Fact]
    public void Migrate_OnAFreshFile_AppliesEveryStepOnceAndRecordsIt()
    {
        var store = Store(Orders2, Audit1, Orders1);

        Assert.Equal(3, store.Migrate());

        Assert.True(File.Exists(DbPath));
        Assert.True(store.IsReady);
        Assert.Equal(["ops|1|audit|2025-12-01T08:00:00.0000000+00:00", "trading|1|orders|2025-12-01T08:00:00.0000000+00:00", "trading|2|order price|2025-12-01T08:00:00.0000000+00:00"],
            Rows(store, "SELECT module, version, name, applied_utc FROM schema_migrations ORDER BY module, version"));
        Assert.Equal(["0"], Rows(store, "SELECT COUNT(*) FROM orders WHERE price IS NULL"));
    }

    [Fact]
    public void Migrate_AgainOrAfterRestart_AppliesOnlyNewSteps_AndKeepsData()
    {
        var first = Store(Orders1);
        first.Migrate();
        Rows(first, "INSERT INTO orders(market) VALUES ('DE-ID-15') RETURNING id");

        var restarted = Store(Orders1, Orders2);
        Assert.Equal(1, restarted.Migrate());
        Assert.Equal(0, restarted.Migrate());

        Assert.Equal(["DE-ID-15|"], Rows(restarted, "SELECT market, price FROM orders"));
    }

    [Fact]
    public void Open_UsesWriteAheadLogging()
    {
        var store = Store(Orders1);
        store.Migrate();

        Assert.Equal(["wal"], Rows(store, "PRAGMA journal_mode"));
        Assert.Equal(["1"], Rows(store, "PRAGMA foreign_keys"));
    }

    [Fact]
    public void Migrate_WhenAStepFails_RollsItBackAndLeavesItPending()
    {
        var broken = new Migration("trading", 2, "broken", "ALTER TABLE orders ADD COLUMN qty REAL; CREATE TABLE orders (dup INTEGER);");
        var store = Store(Orders1, broken);

        Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => store.Migrate());

        Assert.False(store.IsReady);
        Assert.Equal(["trading|1"], Rows(store, "SELECT module, version FROM schema_migrations"));
        Assert.DoesNotContain(Rows(store, "SELECT name FROM pragma_table_info('orders')"), c => c == "qty");
    }

    [Fact]
    public void Migrate_WhenTheFileIsNewerThanThisBuild_RefusesWithAClearMessage()
    {
        Store(Orders1, Orders2).Migrate();

        var error = Assert.Throws<InvalidOperationException>(() => Store(Orders1).Migrate());

        Assert.Contains("trading schema version 2, newer than this build knows (1)", error.Message);
    }

    [Fact]
    public void Migrate_InAProcessComposingFewerModules_LeavesTheOthersAlone()
    {
        var keys = new Migration("ops", 1, "keys", "CREATE TABLE keys (id TEXT PRIMARY KEY);");
        Store(Orders1, Orders2, keys).Migrate(); // the desk, with every module

        var cli = Store(keys); // the keys CLI composes Core and Ops only

        Assert.Equal(0, cli.Migrate());
        Assert.True(cli.IsReady);
        Assert.Contains("trading|2", Rows(cli, "SELECT module, version FROM schema_migrations"));
    }

    [Fact]
    public void Migrate_WithAGapInVersions_RefusesBeforeTouchingTheFile()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Store(Orders2).Migrate());

        Assert.Contains("must be numbered 1..n", error.Message);
        Assert.False(File.Exists(DbPath));
    }
}
