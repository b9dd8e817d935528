using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Phoenyra.Core.Storage;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Core.Tests.Storage;

/// <summary>The store contract on a real PostgreSQL server (a database of its own per test), and what only a shared server needs.</summary>
public sealed class PostgresStoreTests : StoreContract
{
    private readonly string _connectionString = PostgresServer.Shared.CreateDatabase();
    private readonly List<PostgresStore> _stores = [];

    protected override IStore Store(params Migration[] migrations)
    {
        var store = new PostgresStore(_connectionString, migrations, Clock, NullLogger<PostgresStore>.Instance);
        _stores.Add(store);
        return store;
    }

    protected override List<string> Columns(IStore store, string table) =>
        Rows(store, $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}'");

    protected override bool HasTables()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        return (long)command.ExecuteScalar()! > 0;
    }

    public override void Dispose()
    {
        foreach (var store in _stores) store.Dispose();
    }

    [Fact]
    public void Location_NamesTheServerAndDatabase_NeverThePassword()
    {
        using var store = new PostgresStore(_connectionString + ";Password=hunter2-secret", [], Clock, NullLogger<PostgresStore>.Instance);

        Assert.Equal(StoreProvider.Postgres, store.Provider);
        Assert.StartsWith($"postgresql://127.0.0.1:{PostgresServer.Shared.Port}/pho_", store.Location);
        Assert.DoesNotContain("hunter2", store.Location);
    }

    [Fact]
    public async Task TwoDesksMigratingTogether_ApplyEachStepOnce()
    {
        var desks = Enumerable.Range(0, 4).Select(_ => Store(Orders1, Orders2, Audit1)).ToList();

        var applied = await Task.WhenAll(desks.Select(d => Task.Run(d.Migrate)));

        Assert.Equal(3, applied.Sum());
        Assert.All(desks, d => Assert.True(d.IsReady));
        Assert.Equal(["3"], Rows(desks[0], "SELECT COUNT(*) FROM schema_migrations"));
    }

    [Fact]
    public void ATradingStateWriteOfATermThatIsOver_IsRefused_AndWritesNothing()
    {
        var store = Store(Cluster.LeaderLease.Schema, Cluster.LeaderLease.FenceSchema,
            new Migration("test", 1, "guards", Sqlite: "CREATE TABLE guards (name TEXT)", Postgres: "CREATE TABLE guards (name TEXT)"));
        store.Migrate();
        var desk = new Cluster.SingleDesk(new Cluster.ClusterOptions()); // term 0, as the store's first term
        void Write(string name) => Cluster.TermFence.Write(store, desk, (connection, transaction) =>
        {
            using var insert = connection.Command("INSERT INTO guards VALUES (@name)", transaction);
            insert.Parameter("@name", name);
            insert.ExecuteNonQuery();
        });

        Write("while term 0 leads");
        using (var connection = store.Open())
            connection.Execute("UPDATE cluster_term SET term = 1 WHERE id = 1"); // another desk was elected
        var refused = Assert.Throws<Cluster.NotLeaderException>(() => Write("after term 1 began"));

        Assert.Contains("term 0 is over", refused.Message);
        Assert.Equal(["while term 0 leads"], Rows(store, "SELECT name FROM guards"));
    }
}
