using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Phoenyra.Core.Storage;

/// <summary>SQLite file in WAL mode with versioned, per-module migrations.</summary>
internal sealed class SqliteStore : IStore
{
    private readonly string _connectionString;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteStore> _logger;
    private volatile bool _ready;

    public SqliteStore(string databasePath, IEnumerable<Migration> migrations, TimeProvider time, ILogger<SqliteStore> logger)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _migrations = migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
        _time = time;
        _logger = logger;
    }

    public string DatabasePath { get; }
    public bool IsReady => _ready;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL lets readers run beside the writer; FULL makes a committed transaction survive power loss.
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        return connection;
    }

    /// <summary>Applies pending migrations in (module, version) order; returns how many ran.</summary>
    public int Migrate()
    {
        CheckVersions();
        using var connection = Open();
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_utc TEXT NOT NULL,
                PRIMARY KEY (module, version));
            """);
        var applied = new HashSet<(string, long)>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT module, version FROM schema_migrations";
            using var reader = query.ExecuteReader();
            while (reader.Read()) applied.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        var newest = applied.GroupBy(a => a.Item1).ToDictionary(g => g.Key, g => g.Max(a => a.Item2));
        // Modules this process does not compose (the keys CLI runs Core and Ops only) are left as they are.
        foreach (var (module, version) in newest.Where(n => _migrations.Any(m => m.Module == n.Key)))
        {
            var known = _migrations.Where(m => m.Module == module).Max(m => (long)m.Version);
            if (version > known)
                throw new InvalidOperationException(
                    $"The store {DatabasePath} has {module} schema version {version}, newer than this build knows ({known}). Run a newer Phoenyra or point Phoenyra:DataDir at another folder.");
        }
        var count = 0;
        foreach (var migration in _migrations.Where(m => !applied.Contains((m.Module, m.Version))))
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, migration.Sql, transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations(module, version, name, applied_utc) VALUES ($m, $v, $n, $t)";
            record.Parameters.AddWithValue("$m", migration.Module);
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$n", migration.Name);
            record.Parameters.AddWithValue("$t", _time.GetUtcNow().ToString("O"));
            record.ExecuteNonQuery();
            transaction.Commit();
            _logger.LogInformation("Applied migration {Module} v{Version}: {Name}", migration.Module, migration.Version, migration.Name);
            count++;
        }
        _ready = true;
        return count;
    }

    private void CheckVersions()
    {
        foreach (var module in _migrations.GroupBy(m => m.Module))
        {
            var versions = module.Select(m => m.Version).ToList();
            if (versions.Distinct().Count() != versions.Count || versions.Min() != 1 || versions.Max() != versions.Count)
                throw new InvalidOperationException($"Migrations of module {module.Key} must be numbered 1..n without gaps or repeats; found {string.Join(", ", versions)}.");
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
