using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Storage;

/// <summary>
/// The desk's PostgreSQL server goes away under it (stopped as a crash stops it) and comes back: the order
/// in flight is held and acknowledged once its commit lands, new orders and store reads are refused with
/// 503 <c>store_unavailable</c>, orders are accepted again within seconds, and nothing acknowledged is lost.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private const string TraderKey = "outage-trader-key-0123456789abcdef";
    private readonly PostgresServer _server = PostgresServer.Start();
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
        _desk.Environment["Phoenyra__Store__Provider"] = "postgres";
        _desk.Environment["Phoenyra__Store__ConnectionString"] = _server.CreateDatabase();
        await _desk.Start();
    }

    public async Task DisposeAsync()
    {
        await _desk.DisposeAsync();
        _server.Dispose();
    }

    [Fact]
    public async Task TheServerCrashesAndComesBack_TheOrderInFlightIsAcknowledgedLate_NewOnesAreRefused_NothingIsLost()
    {
        using var trader = _desk.Client(TraderKey);
        trader.Timeout = TimeSpan.FromSeconds(60);
        object Order(decimal price) => new { market = "DE-ID-60", side = "buy", quantity = 1, price, tif = "gtc" };
        (await trader.PostAsJsonAsync("/api/orders", Order(40))).EnsureSuccessStatusCode();

        _server.StopServer(immediate: true);
        var inFlight = trader.PostAsJsonAsync("/api/orders", Order(41));
        using var anonymous = _desk.Client();
        for (var i = 0; i < 300 && (await anonymous.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK; i++) await Task.Delay(100); // until the journal says it cannot commit
        var refused = await trader.PostAsJsonAsync("/api/orders", Order(42));
        var history = await trader.GetAsync("/api/orders/history?market=DE-ID-60");
        var inFlightAnsweredEarly = inFlight.IsCompleted;

        _server.StartServer();
        var late = await inFlight;
        HttpResponseMessage after;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do after = await trader.PostAsJsonAsync("/api/orders", Order(43));
        while (after.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline && await Task.Delay(200).ContinueWith(_ => true));

        Assert.False(inFlightAnsweredEarly, "the order in flight was answered before its commit");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("store_unavailable", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, history.StatusCode);
        Assert.Equal("store_unavailable", (await history.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);

        _desk.Kill(); // and what the desk acknowledged is in the store: a restart replays it
        await _desk.Start();
        using var again = _desk.Client(TraderKey);
        var prices = (await again.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&status=all")).EnumerateArray()
            .Select(o => o.GetProperty("price").GetDecimal()).Order().ToList();
        Assert.Equal([40m, 41m, 43m], prices);
    }
}
