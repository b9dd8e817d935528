using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Cluster;

/// <summary>
/// Two real desk processes on one PostgreSQL store: one leads, the other stands by and answers writes
/// with the leader's address; killed with SIGKILL, the leader's place is taken by the standby with every
/// order it acknowledged; a leader frozen past its lease is deposed and, thawed, writes nothing more.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const string TraderKey = "cluster-trader-key-0123456789abcdef";
    private const string AdminKey = "cluster-admin-key-0123456789abcdefg";
    private readonly string _store = PostgresServer.Shared.CreateDatabase();
    private readonly DeskProcess _a = new(), _b = new();

    public async Task InitializeAsync()
    {
        foreach (var (desk, node) in new[] { (_a, "node-a"), (_b, "node-b") })
        {
            desk.InCluster(node, _store).Environment["API_KEY"] = TraderKey;
            desk.Environment["ADMIN_KEY"] = AdminKey;
            desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
        }
        await _a.Start();
        await _a.WaitUntilLeader(TimeSpan.FromSeconds(20));
        await _b.Start();
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static Task<HttpResponseMessage> Bid(HttpClient trader, decimal price) =>
        trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price, tif = "gtc" });

    [Fact]
    public async Task TheStandbyAnswersWritesWithTheLeader_AndTakesOverAfterSigkill_WithEveryAcknowledgedOrder()
    {
        using var onA = _a.Client(TraderKey);
        using var onB = _b.Client(TraderKey);
        var acknowledged = new List<long>();
        for (var i = 0; i < 20; i++)
            acknowledged.Add((await (await Bid(onA, 40 + i)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        var standby = await onB.GetAsync("/healthz/leader");
        var refused = await Bid(onB, 70);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, standby.StatusCode);
        var who = await standby.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("standby", "node-b", "node-a", _a.BaseUrl), (who.GetProperty("role").GetString(), who.GetProperty("node").GetString(), who.GetProperty("leader").GetString(), who.GetProperty("leader_url").GetString()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("not_leader", "node-a", _a.BaseUrl), (problem.GetProperty("reason").GetString(), problem.GetProperty("leader").GetString(), problem.GetProperty("leader_url").GetString()));
        var termA = (await onA.GetFromJsonAsync<JsonElement>("/healthz/leader")).GetProperty("term").GetInt64();

        _a.Kill();
        await _b.WaitUntilLeader(TimeSpan.FromSeconds(30));
        var accepted = await Bid(onB, 71);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var leader = await onB.GetFromJsonAsync<JsonElement>("/healthz/leader");
        Assert.Equal(("leader", termA + 1), (leader.GetProperty("role").GetString(), leader.GetProperty("term").GetInt64()));
        var open = (await onB.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&limit=1000")).EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToHashSet();
        Assert.All(acknowledged, id => Assert.Contains(id, open));
        Assert.Equal(21, open.Count);
    }

    [Fact]
    public async Task TheStandbyFollowsTheLeadersJournal_AndServesTheSameBooksOrdersAndPositions_ButNoWrites()
    {
        using var onA = _a.Client(TraderKey);
        using var adminA = _a.Client(AdminKey);
        using var onB = _b.Client(TraderKey);
        for (var i = 0; i < 5; i++) (await Bid(onA, 40 + i)).EnsureSuccessStatusCode();
        (await adminA.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 2, price = 40, tif = "ioc" })).EnsureSuccessStatusCode();
        string[] reads = ["/api/book/DE-ID-60", "/api/orders?market=DE-ID-60&limit=100", "/api/positions/accounts", "/api/trades?market=DE-ID-60"];
        var onLeader = new List<string>();
        foreach (var read in reads) onLeader.Add(await onA.GetStringAsync(read));

        var onStandby = new List<string>();
        for (var attempt = 0; attempt < 100 && !onStandby.SequenceEqual(onLeader); attempt++)
        {
            await Task.Delay(50);
            onStandby.Clear();
            foreach (var read in reads) onStandby.Add(await onB.GetStringAsync(read));
        }
        var metrics = await onB.GetStringAsync("/metrics");
        var cancel = await onB.DeleteAsync("/api/orders/1");

        Assert.Equal(onLeader, onStandby);
        Assert.Contains("\"price\":42", onStandby[0]); // 44 and 43 were sold into
        Assert.Matches(@"(?m)^pho_cluster_standby_lag_records(\{[^}]*\})? 0$", metrics);
        Assert.Matches(@"(?m)^pho_cluster_role\{[^}]*node=""node-b""[^}]*\} 0$", metrics);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cancel.StatusCode);
        Assert.Equal("not_leader", (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task ALeaderFrozenPastItsLease_IsDeposed_AndThawedWritesNothingMore()
    {
        using var onA = _a.Client(TraderKey);
        using var onB = _b.Client(TraderKey);
        (await Bid(onA, 40)).EnsureSuccessStatusCode();
        var termA = (await onA.GetFromJsonAsync<JsonElement>("/healthz/leader")).GetProperty("term").GetInt64();

        _a.Signal("STOP");
        var late = Bid(onA, 41); // sent to the frozen leader: it must never be acknowledged once another leads
        await _b.WaitUntilLeader(TimeSpan.FromSeconds(30));
        (await Bid(onB, 42)).EnsureSuccessStatusCode();
        _a.Signal("CONT");

        var answer = await late.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result.StatusCode : HttpStatusCode.BadGateway);
        for (var i = 0; i < 100 && _a.ExitCode is null; i++) await Task.Delay(100);

        Assert.NotEqual(HttpStatusCode.OK, answer);
        Assert.Equal(75, _a.ExitCode);
        await using var sql = new NpgsqlConnection(_store);
        await sql.OpenAsync();
        await using var blocks = new NpgsqlCommand("SELECT term, seq FROM j.journal_blocks ORDER BY seq", sql);
        var rows = new List<(long Term, long Seq)>();
        await using (var reader = await blocks.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        var firstOfB = rows.First(r => r.Term > termA).Seq;
        Assert.DoesNotContain(rows, r => r.Term == termA && r.Seq > firstOfB);
        var prices = (await onB.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60")).EnumerateArray().Select(o => o.GetProperty("price").GetDecimal()).Order().ToList();
        Assert.Equal([40m, 42m], prices);
    }

    [Fact]
    public async Task OrdersThroughHaproxy_GoOnThroughASigkillOfTheLeader_AndEveryAcknowledgedOneIsOnTheNewLeader()
    {
        using var haproxy = new HaproxyProcess(_a, _b);
        var acks = new List<(long Id, bool AfterKill)>();
        var killed = false;
        var price = 10m;
        using var client = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-API-Key", TraderKey);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (acks.Count(a => a.AfterKill) < 50 && DateTime.UtcNow < deadline)
        {
            if (!killed && acks.Count >= 50)
            {
                _a.Kill();
                killed = true;
            }
            try
            {
                var response = await Bid(client, price);
                if (response.StatusCode != HttpStatusCode.OK) { await Task.Delay(20); continue; } // the takeover gap: 503 from HAProxy, or not_leader
                acks.Add(((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), killed));
                price += 0.01m;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(20); // the connection to the killed leader: HAProxy closed it; send again
            }
        }

        Assert.True(acks.Count(a => a.AfterKill) >= 50, $"the order flow did not resume through HAProxy:\n{haproxy.Output}");
        using var onB = _b.Client(TraderKey);
        var open = (await onB.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&limit=1000")).EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToHashSet();
        Assert.All(acks, a => Assert.Contains(a.Id, open));
    }

    [Fact]
    public async Task ADeskHaltedOnTheLeader_IsHaltedOnTheStandbyThatTakesOver()
    {
        using var admin = _a.Client(AdminKey);
        (await admin.PostAsJsonAsync("/admin/desk/halt", new { reason = "venue outage" })).EnsureSuccessStatusCode();

        _a.Kill();
        await _b.WaitUntilLeader(TimeSpan.FromSeconds(30));

        using var onB = _b.Client(AdminKey);
        var state = await onB.GetFromJsonAsync<JsonElement>("/admin/desk");
        Assert.Equal((true, "venue outage"), (state.GetProperty("halted").GetBoolean(), state.GetProperty("reason").GetString()));
        using var trader = _b.Client(TraderKey);
        var refused = await Bid(trader, 50);
        Assert.Equal("trading_halted", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AStrategyRunningOnTheLeader_RunsOnTheNewLeader_AndAStoppedOneStaysStopped()
    {
        using var onA = _a.Client(TraderKey);
        (await onA.PostAsync("/api/strategies/hedge-grid-1/start", null)).EnsureSuccessStatusCode();
        (await onA.PostAsync("/api/strategies/flash-arb-1/start", null)).EnsureSuccessStatusCode();
        (await onA.PostAsync("/api/strategies/flash-arb-1/stop", null)).EnsureSuccessStatusCode();

        _a.Kill();
        await _b.WaitUntilLeader(TimeSpan.FromSeconds(30));

        using var onB = _b.Client(TraderKey);
        string State(JsonElement s) => s.GetProperty("state").GetString()!;
        Assert.Equal("running", State(await onB.GetFromJsonAsync<JsonElement>("/api/strategies/hedge-grid-1")));
        Assert.Equal("stopped", State(await onB.GetFromJsonAsync<JsonElement>("/api/strategies/flash-arb-1")));
        using var admin = _b.Client(AdminKey);
        var audit = await admin.GetStringAsync("/admin/audit?action=strategy.start");
        Assert.Contains("\"cluster:node-b\"", audit);
    }
}
