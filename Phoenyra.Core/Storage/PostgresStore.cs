using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Phoenyra.Core.Storage;

/// <summary>
/// The store on a PostgreSQL server (<c>Phoenyra:Store:Provider = postgres</c>): pooled connections from one
/// data source, the same tables as SQLite in PostgreSQL's types, each module's migrations in its own SQL.
/// Several desks may share it; migrations take a lock so two desks starting together apply each step once.
/// </summary>
internal sealed class PostgresStore : IStore, IDisposable
{
    /// <summary>The advisory-lock key migrations hold (any constant distinct from the cluster's leader lock).</summary>
    private const long MigrationLock = 0x50484F_4D494752; // "PHO" "MIGR"

    private readonly NpgsqlDataSource _source;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresStore> _logger;
    private volatile bool _ready;

    /// <param name="node">This desk's node name: its sessions are named <c>phoenyra-NODE</c>, so a new cluster leader can end a deposed one's.</param>
    public PostgresStore(string connectionString, IEnumerable<Migration> migrations, TimeProvider time, ILogger<PostgresStore> logger, string node = "desk")
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName ??= SessionName(node);
        // No transaction of ours idles: one that does belongs to a frozen process, and its locks (the journal's
        // share lock on the cluster term) must not hold up a new leader for longer than a lease.
        if (string.IsNullOrEmpty(builder.Options)) builder.Options = "-c idle_in_transaction_session_timeout=2000";
        Location = $"postgresql://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _source = NpgsqlDataSource.Create(builder);
        _migrations = migrations.ToList();
        _time = time;
        _logger = logger;
    }

    public static string SessionName(string node) => "phoenyra-" + node;

    public StoreProvider Provider => StoreProvider.Postgres;
    public string Location { get; }
    public string DatabasePath => "";
    public bool IsReady => _ready;

    public DbConnection Open() => _source.OpenConnection();

    public IBatchStatement Prepare(DbConnection connection, string sql) => new PostgresBatchStatement((NpgsqlConnection)connection, sql);

    public void RelaxDurability(DbConnection connection) => connection.Execute("SET synchronous_commit = off");

    public IStoreSignal Listen(string channel) => new PostgresSignal(_source.OpenConnection(), channel);

    public int Migrate()
    {
        var migrations = MigrationRunner.Ordered(_migrations);
        using var connection = Open();
        using (var transaction = Begin(connection))
        {
            connection.Execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    module TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, applied_utc TEXT NOT NULL,
                    PRIMARY KEY (module, version));
                """, transaction);
            transaction.Commit();
        }
        var count = MigrationRunner.Apply(connection, migrations, Provider, Location, Begin, _time, _logger);
        _ready = true;
        return count;
    }

    private static DbTransaction Begin(DbConnection connection)
    {
        var transaction = connection.BeginTransaction();
        connection.Execute($"SELECT pg_advisory_xact_lock({MigrationLock})", transaction);
        return transaction;
    }

    public void Dispose() => _source.Dispose();
}
