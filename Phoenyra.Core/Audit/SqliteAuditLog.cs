using Microsoft.Data.Sqlite;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core.Audit;

/// <summary>Audit entries in the store; triggers make the table append-only even for raw SQL.</summary>
internal sealed class SqliteAuditLog(IStore store, TimeProvider time, CoreMetrics metrics) : IAuditLog
{
    // Keeps the id it had when the audit log lived in Ops, so existing databases do not re-run it.
    public static readonly Migration Schema = new("ops", 1, "audit log", """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time_utc TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            before TEXT NULL,
            after TEXT NULL,
            result TEXT NOT NULL);
        CREATE INDEX audit_log_action ON audit_log(action);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        """);

    public ValueTask<AuditEntry> Append(string actor, string action, string? before, string? after, string result, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO audit_log(time_utc, actor, action, before, after, result) VALUES ($t, $who, $what, $b, $a, $r);
            SELECT last_insert_rowid();
            """;
        command.Parameters.AddWithValue("$t", now.UtcDateTime.ToString("O"));
        command.Parameters.AddWithValue("$who", actor);
        command.Parameters.AddWithValue("$what", action);
        command.Parameters.AddWithValue("$b", (object?)before ?? DBNull.Value);
        command.Parameters.AddWithValue("$a", (object?)after ?? DBNull.Value);
        command.Parameters.AddWithValue("$r", result);
        var id = (long)command.ExecuteScalar()!;
        metrics.AuditEntries.Add(1, new KeyValuePair<string, object?>("result", result));
        return ValueTask.FromResult(new AuditEntry(id, now, actor, action, before, after, result));
    }

    public ValueTask<IReadOnlyList<AuditEntry>> Query(AuditQuery query, CancellationToken cancellationToken = default)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Actor is not null) { where.Add("actor = $actor"); command.Parameters.AddWithValue("$actor", query.Actor); }
        if (query.Action is not null) { where.Add("action = $action"); command.Parameters.AddWithValue("$action", query.Action); }
        if (query.Since is not null) { where.Add("time_utc >= $since"); command.Parameters.AddWithValue("$since", query.Since.Value.UtcDateTime.ToString("O")); }
        if (query.BeforeId is not null) { where.Add("id < $before"); command.Parameters.AddWithValue("$before", query.BeforeId.Value); }
        command.CommandText = "SELECT id, time_utc, actor, action, before, after, result FROM audit_log"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + " ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 1, 1000));
        var entries = new List<AuditEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) entries.Add(Read(reader));
        return ValueTask.FromResult<IReadOnlyList<AuditEntry>>(entries);
    }

    private static AuditEntry Read(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        DateTimeOffset.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
        reader.GetString(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetString(6));
}
