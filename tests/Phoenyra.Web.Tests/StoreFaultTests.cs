using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The store refuses the journal's writes (here: its table is taken away, as a broken or full store
/// would refuse them): the order in flight waits and is acknowledged once the store recovers, new
/// orders and cancels are refused with a clear reason, /healthz says why, nothing is lost.
/// </summary>
public sealed class StoreFaultTests
{
    [Fact]
    public async Task AJournalThatCannotCommit_HoldsTheOrderInFlight_RefusesNewOnes_AndRecovers()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" });
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        object Order(decimal price) => new { market = "DE-ID-60", side = "buy", quantity = 1, price, tif = "gtc" };
        var before = await (await trader.PostAsJsonAsync("/api/orders", Order(40))).Content.ReadFromJsonAsync<JsonElement>();

        using var sql = new SqliteConnection($"Data Source={Path.Combine(desk.DataDir, "journal.db")}");
        sql.Open();
        Execute(sql, "ALTER TABLE journal_blocks RENAME TO journal_away");
        var inFlight = trader.PostAsJsonAsync("/api/orders", Order(41));
        await Eventually(async () => (await desk.ClientWithKey(null).GetAsync("/healthz")).StatusCode == HttpStatusCode.ServiceUnavailable);

        var refused = await trader.PostAsJsonAsync("/api/orders", Order(42));
        var cancel = await trader.DeleteAsync($"/api/orders/{before.GetProperty("id").GetInt64()}");
        var health = await desk.ClientWithKey(null).GetStringAsync("/healthz").ContinueWith(t => t.IsFaulted ? "" : t.Result);
        Assert.False(inFlight.IsCompleted, "the order in flight was answered before its journal commit");

        Execute(sql, "ALTER TABLE journal_away RENAME TO journal_blocks");
        var late = await inFlight.WaitAsync(TimeSpan.FromSeconds(20));
        var after = await trader.PostAsJsonAsync("/api/orders", Order(43));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("store_unavailable", problem.GetProperty("reason").GetString());
        Assert.Contains("cannot write its journal", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.ClientWithKey(null).GetAsync("/healthz")).StatusCode);
        var prices = (await trader.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60&status=all")).EnumerateArray()
            .Select(o => o.GetProperty("price").GetDecimal()).Order().ToList();
        Assert.Equal([40m, 41m, 43m], prices);
        var journaled = Phoenyra.Trading.Journal.JournalBlocks.After(sql, 0, int.MaxValue, schema: "main").SelectMany(b => Phoenyra.Trading.Journal.JournalCodec.Read(b.Data));
        Assert.Equal(3, journaled.OfType<Phoenyra.Trading.Journal.OrderAcceptedRecord>().Count());
    }

    private static void Execute(SqliteConnection sql, string text)
    {
        using var command = sql.CreateCommand();
        command.CommandText = text;
        command.ExecuteNonQuery();
    }

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("the journal failure never showed in /healthz");
    }
}
