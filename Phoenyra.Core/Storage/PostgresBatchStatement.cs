using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Phoenyra.Core.Storage;

/// <summary>
/// PostgreSQL's batch statement: each row becomes one command of an <see cref="NpgsqlBatch"/>, sent in one
/// round trip on <see cref="Flush"/> (or every <see cref="RowsPerRoundTrip"/> rows), inside the
/// connection's current transaction. Values are bound as the SQLite store keeps them (decimals and
/// times as exact text), so both providers read them back with the same code.
/// </summary>
internal sealed partial class PostgresBatchStatement(NpgsqlConnection connection, string sql) : IBatchStatement
{
    private const int RowsPerRoundTrip = 1000;
    private readonly string _sql = Positional().Replace(sql, "$$$1");
    private readonly NpgsqlBatch _batch = new(connection);
    private readonly List<object> _row = [];

    public void Bind(int index, long value) => Set(index, value);

    public void Bind(int index, long? value) => Set(index, value is { } v ? v : DBNull.Value);

    public void Bind(int index, double value) => Set(index, value);

    public void Bind(int index, string? value) => Set(index, (object?)value ?? DBNull.Value);

    // Copied: the caller may reuse its buffer before the row is sent.
    public void Bind(int index, ReadOnlySpan<byte> blob) => Set(index, blob.ToArray());

    public void Bind(int index, decimal? value) => Set(index, value is { } v ? v.ToString(CultureInfo.InvariantCulture) : DBNull.Value);

    public void Bind(int index, DateTimeOffset value) => Set(index, value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));

    public void Run()
    {
        var command = new NpgsqlBatchCommand(_sql);
        foreach (var value in _row) command.Parameters.Add(new NpgsqlParameter { Value = value });
        // The values stay bound for the next row, as SQLite's do.
        _batch.BatchCommands.Add(command);
        if (_batch.BatchCommands.Count >= RowsPerRoundTrip) Flush();
    }

    public void Flush()
    {
        if (_batch.BatchCommands.Count == 0) return;
        try
        {
            _batch.ExecuteNonQuery();
        }
        finally
        {
            _batch.BatchCommands.Clear();
        }
    }

    public void Dispose() => _batch.Dispose();

    private void Set(int index, object value)
    {
        while (_row.Count < index) _row.Add(DBNull.Value);
        _row[index - 1] = value;
    }

    [GeneratedRegex(@"\?(\d+)")]
    private static partial Regex Positional();
}
