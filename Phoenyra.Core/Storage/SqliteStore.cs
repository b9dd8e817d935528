using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Phoenyra.Core.Storage;

/// <summary>SQLite file in WAL mode with versioned, per-module migrations: the embedded default.</summary>
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
        _migrations = migrations.ToList();
        _time = time;
        _logger = logger;
    }

    public StoreProvider Provider => StoreProvider.Sqlite;
    public string DatabasePath { get; }
    public string Location => DatabasePath;
    public bool IsReady => _ready;

    public DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL lets readers run beside the writer; FULL makes a committed transaction survive power loss.
        connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;");
        return connection;
    }

    public IBatchStatement Prepare(DbConnection connection, string sql) => new SqliteBatchStatement((SqliteConnection)connection, sql);

    public void RelaxDurability(DbConnection connection) => connection.Execute("PRAGMA synchronous=NORMAL");

    public IStoreSignal Listen(string channel) => new TimerSignal();

    /// <summary>Applies pending migrations in (module, version) order; returns how many ran.</summary>
    public int Migrate()
    {
        var migrations = MigrationRunner.Ordered(_migrations);
        using var connection = Open();
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_utc TEXT NOT NULL,
                PRIMARY KEY (module, version));
            """);
        var count = MigrationRunner.Apply(connection, migrations, Provider, Location, c => c.BeginTransaction(), _time, _logger);
        _ready = true;
        return count;
    }
}
