using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Cluster;

/// <summary>
/// The recommended PostgreSQL setup survives the database's own failure: a primary with a synchronous
/// standby (<c>synchronous_standby_names</c>), two desks whose connection string names both hosts with
/// <c>Target Session Attributes=primary</c>. The primary is killed and the standby promoted: a desk leads
/// again on the new primary and every order acknowledged before the crash is there.
/// </summary>
public sealed class DatabaseFailoverTests : IAsyncLifetime
{
    private const string TraderKey = "failover-trader-key-0123456789abcdef";
    private readonly PostgresServer _primary = PostgresServer.Start();
    private PostgresServer _standby = null!;
    private readonly DeskProcess _a = new(), _b = new();

    public async Task InitializeAsync()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(_primary.CreateDatabase()).Database;
        _standby = _primary.StartSynchronousStandby();
        var store = $"Host=127.0.0.1:{_primary.Port},127.0.0.1:{_standby.Port};Username=postgres;Database={database};Target Session Attributes=primary;Timeout=3";
        foreach (var (desk, node) in new[] { (_a, "node-a"), (_b, "node-b") })
        {
            desk.InCluster(node, store).Environment["API_KEY"] = TraderKey;
            desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
        }
        await _a.Start();
        await _b.Start();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _standby?.Dispose();
        _primary.Dispose();
    }

    [Fact]
    public async Task ThePrimaryDies_AndItsSynchronousStandbyIsPromoted_EveryAcknowledgedOrderIsOnTheNewLeader()
    {
        DeskProcess? leader = null;
        for (var i = 0; i < 300 && leader is null; i++) { leader = await DeskProcess.LeaderOf([_a, _b]); await Task.Delay(100); }
        Assert.NotNull(leader);
        var acknowledged = new List<long>();
        using (var trader = leader.Client(TraderKey))
            for (var i = 0; i < 30; i++)
                acknowledged.Add((await (await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price = 40 + i, tif = "gtc" }))
                    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        _primary.StopServer(immediate: true);
        _standby.Promote();
        var clock = Stopwatch.StartNew();
        DeskProcess? next = null;
        HttpStatusCode accepted = default;
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && accepted != HttpStatusCode.OK)
        {
            next = await DeskProcess.LeaderOf([_a, _b]);
            if (next is not null)
            {
                using var trader = next.Client(TraderKey);
                try { accepted = (await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price = 80, tif = "gtc" })).StatusCode; }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { } // the old leader, before it noticed
            }
            await Task.Delay(100);
        }

        Assert.True(accepted == HttpStatusCode.OK, $"no desk took orders on the promoted standby within {clock.Elapsed}:\n{_a.Output}\n{_b.Output}");
        using var onNext = next!.Client(TraderKey);
        var open = (await onNext.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&limit=1000")).EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToHashSet();
        Assert.All(acknowledged, id => Assert.Contains(id, open));
    }
}
