using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Phoenyra.Core.Storage;

/// <summary>
/// SQLite's batch statement: prepared once, its values bound by position straight into SQLite, each
/// row run at once. For the bulk writes: <see cref="SqliteCommand"/> looks every parameter up by name
/// and converts every string on every run, which cost more than SQLite's own insert at tens of
/// thousands of rows a second. Runs inside the connection's current transaction; dispose before the connection.
/// </summary>
internal sealed class SqliteBatchStatement : IBatchStatement
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteBatchStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, double value) => Check(raw.sqlite3_bind_double(_statement, index, value));

    public void Bind(int index, string? value) => Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    public void Bind(int index, ReadOnlySpan<byte> blob) => Check(raw.sqlite3_bind_blob(_statement, index, blob));

    public void Bind(int index, decimal? value)
    {
        if (value is not { } v) { Check(raw.sqlite3_bind_null(_statement, index)); return; }
        Span<char> text = stackalloc char[32];
        v.TryFormat(text, out var length, provider: CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text16(_statement, index, text[..length]));
    }

    public void Bind(int index, DateTimeOffset value)
    {
        Span<char> text = stackalloc char[40];
        value.UtcDateTime.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text16(_statement, index, text[..length]));
    }

    public void Run()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE && result != raw.SQLITE_ROW) throw Error(result);
    }

    /// <summary>Nothing is held: every row ran in <see cref="Run"/>.</summary>
    public void Flush() { }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK) throw Error(result);
    }

    private SqliteException Error(int result) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), result, raw.sqlite3_extended_errcode(_db));
}
