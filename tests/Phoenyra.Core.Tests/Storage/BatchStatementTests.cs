using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core.Tests.Storage;

public sealed class BatchStatementTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private SqliteStore Store()
    {
        var store = new SqliteStore(Path.Combine(_folder.Path, "phoenyra.db"),
            [new Migration("test", 1, "rows", "CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price TEXT NULL, at TEXT NOT NULL, ref INTEGER NULL);")],
            new FakeTimeProvider(), NullLogger<SqliteStore>.Instance);
        store.Migrate();
        return store;
    }

    [Fact]
    public void Rows_AreStoredExactly_AsTheStoresReadThem()
    {
        var store = Store();
        var at = new DateTimeOffset(2026, 11, 30, 13, 5, 7, TimeSpan.FromHours(1)).AddTicks(1234567);
        using (var connection = store.Open())
        using (var transaction = connection.BeginTransaction())
        {
            using var insert = new BatchStatement(connection, "INSERT INTO rows(id, name, price, at, ref) VALUES (?1, ?2, ?3, ?4, ?5)");
            foreach (var (id, name, price, reference) in new[] { (1L, "Zürich €", (decimal?)81.2500m, (long?)7L), (2L, "", null, null) })
            {
                insert.Bind(1, id); insert.Bind(2, name); insert.Bind(3, price); insert.Bind(4, at); insert.Bind(5, reference);
                insert.Run();
            }
            transaction.Commit();
        }

        using var read = store.Open();
        using var query = read.CreateCommand();
        query.CommandText = "SELECT name, price, at, ref FROM rows ORDER BY id";
        using var reader = query.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("Zürich €", "81.2500", at.UtcDateTime.ToString("O"), 7L), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        Assert.True(reader.Read());
        Assert.Equal("", reader.GetString(0)); // an empty text stays empty, not NULL (the column is NOT NULL)
        Assert.True(reader.IsDBNull(1) && reader.IsDBNull(3));
    }

    [Fact]
    public void AConstraintViolation_IsASqliteException_WithSqlitesReason_AndTheStatementRunsOn()
    {
        var store = Store();
        using var connection = store.Open();
        using var insert = new BatchStatement(connection, "INSERT INTO rows(id, name, at) VALUES (?1, ?2, ?3)");
        insert.Bind(1, 1L); insert.Bind(2, "a"); insert.Bind(3, DateTimeOffset.UnixEpoch);
        insert.Run();

        var error = Assert.Throws<SqliteException>(insert.Run);
        Assert.Contains("UNIQUE constraint failed: rows.id", error.Message);

        insert.Bind(1, 2L);
        insert.Run();
        Assert.Throws<SqliteException>(() => new BatchStatement(connection, "INSERT INTO nowhere VALUES (?1)"));
    }
}
