using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Storage;

/// <summary>
/// What the desk keeps in its store, on either provider: the real binary is used as a desk is (orders and
/// a fill, keys created and revoked, telemetry, a policy reload, a desk halt, the stream signing key),
/// killed with SIGKILL, started again, and everything is there. Run once per provider.
/// </summary>
public abstract class DeskStoreContract : IAsyncLifetime
{
    private const string TraderKey = "contract-trader-key-0123456789abcd";
    private const string OtherTraderKey = "contract-other-key-0123456789abcde";
    private const string AdminKey = "contract-admin-key-0123456789abcde";
    private const string DeviceKey = "contract-device-key-0123456789abcd";

    protected DeskProcess Desk { get; } = new();

    /// <summary>Points the desk at this provider's store.</summary>
    protected abstract void UseStore(DeskProcess desk);

    public async Task InitializeAsync()
    {
        Desk.Environment["API_KEY"] = TraderKey;
        Desk.Environment["ADMIN_KEY"] = AdminKey;
        Desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false"; // the test's two traders make the only trade
        Desk.AddKey("other-trader", "trader", OtherTraderKey).AddKey("site-1", "device", DeviceKey);
        UseStore(Desk);
        await Desk.Start();
    }

    public async Task DisposeAsync() => await Desk.DisposeAsync();

    private async Task Restart()
    {
        Desk.Kill();
        await Desk.Start();
    }

    [Fact]
    public async Task EverythingTheDeskKeeps_IsThereAfterSigkill()
    {
        using var trader = Desk.Client(TraderKey);
        using var other = Desk.Client(OtherTraderKey);
        using var admin = Desk.Client(AdminKey);
        using var device = Desk.Client(DeviceKey);
        var bid = await (await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1.0, price = 101.5, tif = "gtc", client_order_id = "contract-bid" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var hit = await (await other.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 0.4, price = 101.5, tif = "ioc" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var tradeId = hit.GetProperty("fills")[0].GetProperty("trade_id").GetInt64();
        var created = await (await admin.PostAsJsonAsync("/admin/keys", new { id = "night-bot", role = "viewer" })).Content.ReadFromJsonAsync<JsonElement>();
        (await admin.PostAsJsonAsync("/admin/keys", new { id = "old-bot", role = "viewer" })).EnsureSuccessStatusCode();
        var oldBot = await (await admin.GetAsync("/admin/keys")).Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/admin/keys/old-bot")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 57.5, active_power_mw = -1.25, temperature_c = 24.0 })).StatusCode);
        (await admin.PostAsync("/admin/policy/reload", null)).EnsureSuccessStatusCode();
        var policy = await admin.GetFromJsonAsync<JsonElement>("/admin/policy");
        var kid = (await admin.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json")).GetProperty("keys")[0].GetProperty("kid").GetString();
        (await admin.PostAsJsonAsync("/admin/desk/halt", new { reason = "store contract" })).EnsureSuccessStatusCode();
        Assert.Contains("old-bot", oldBot);

        await Restart();

        var orders = (await trader.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&status=all&limit=100")).EnumerateArray()
            .ToDictionary(o => o.GetProperty("id").GetInt64());
        var restedBid = orders[bid.GetProperty("id").GetInt64()];
        // The halt cancelled what rested: that too is in the journal.
        Assert.Equal(("cancelled", 0.4m, "contract-bid"),
            (restedBid.GetProperty("status").GetString(), restedBid.GetProperty("filled_quantity").GetDecimal(), restedBid.GetProperty("client_order_id").GetString()));
        var book = await trader.GetFromJsonAsync<JsonElement>("/api/book/DE-ID-60");
        Assert.Empty(book.GetProperty("bids").EnumerateArray());
        var history = await trader.GetFromJsonAsync<JsonElement>("/api/orders/history?market=DE-ID-60&limit=100");
        Assert.Contains(history.GetProperty("orders").EnumerateArray(), o => o.GetProperty("order_id").GetInt64() == hit.GetProperty("id").GetInt64() && o.GetProperty("status").GetString() == "filled");
        var trades = await trader.GetFromJsonAsync<JsonElement>("/api/trades?market=DE-ID-60&limit=100");
        Assert.Contains(trades.GetProperty("trades").EnumerateArray(), t => t.GetProperty("id").GetInt64() == tradeId && t.GetProperty("quantity").GetDecimal() == 0.4m);

        using (var nightBot = Desk.Client(created.GetProperty("key").GetString()))
            Assert.Equal(HttpStatusCode.OK, (await nightBot.GetAsync("/api/positions")).StatusCode);
        var keys = await admin.GetStringAsync("/admin/keys");
        Assert.Contains("night-bot", keys);
        Assert.DoesNotContain("old-bot", keys);
        var audit = await admin.GetStringAsync("/admin/audit?limit=200");
        foreach (var action in new[] { "key.create", "key.revoke", "policy.reload", "desk.halt" }) Assert.True(audit.Contains($"\"{action}\""), audit);

        var readings = await admin.GetFromJsonAsync<JsonElement>("/api/bess/history?site=site-1");
        Assert.Contains(readings.EnumerateArray(), r => r.GetProperty("soc_percent").GetDouble() == 57.5);
        Assert.Equal(policy.GetProperty("version").GetInt32(), (await admin.GetFromJsonAsync<JsonElement>("/admin/policy")).GetProperty("version").GetInt32());
        Assert.Equal(kid, (await admin.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json")).GetProperty("keys")[0].GetProperty("kid").GetString());
        var state = await admin.GetFromJsonAsync<JsonElement>("/admin/desk");
        Assert.Equal((true, "store contract"), (state.GetProperty("halted").GetBoolean(), state.GetProperty("reason").GetString()));
    }
}

/// <summary>The desk's store contract on the embedded SQLite file.</summary>
public sealed class SqliteDeskStoreTests : DeskStoreContract
{
    protected override void UseStore(DeskProcess desk) { }
}

/// <summary>The desk's store contract on PostgreSQL, chosen by <c>PHOENYRA_STORE</c> alone; no SQLite file is made.</summary>
public sealed class PostgresDeskStoreTests : DeskStoreContract
{
    protected override void UseStore(DeskProcess desk) => desk.Environment["PHOENYRA_STORE"] = PostgresServer.Shared.CreateDatabase();

    [Fact]
    public void TheDeskOnPostgres_WritesNoSqliteFile() => Assert.False(File.Exists(Path.Combine(Desk.DataDir, "phoenyra.db")));
}
