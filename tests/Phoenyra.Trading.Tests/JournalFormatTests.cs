using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.History;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Trading.Tests;

/// <summary>
/// The compact journal: every record kind comes back exactly as written, and a desk whose journal
/// was written in the first format (JSON rows) replays it, then goes on in blocks — both survive a
/// restart and both reach the trade history.
/// </summary>
public sealed class JournalFormatTests
{
    [Fact]
    public void EveryRecordKind_DecodesToTheRecordThatWasEncoded()
    {
        var time = new DateTimeOffset(2026, 11, 30, 7, 30, 1, 234, TimeSpan.Zero).AddTicks(5678);
        JournalRecord[] records =
        [
            new OrderAcceptedRecord("DE-ID-60", time, 42, "bøb-ü", OrderSide.Sell, OrderType.Limit, TimeInForce.Gtc, -12345, 50, "client-7"),
            new OrderAcceptedRecord("DE-ID-15", time, 43, "alice", OrderSide.Buy, OrderType.Market, TimeInForce.Fok, null, 1, null),
            new FillRecord("DE-ID-60", time, 9, 42, 43, "bøb-ü", "alice", OrderSide.Buy, 999_999, 7, false, true),
            new OrderRestedRecord("DE-ID-60", time, 42),
            new OrderClosedRecord("DE-ID-60", time, 43, OrderStatus.Cancelled, RejectReason.SelfTradePrevented),
        ];
        var block = new JournalBlockWriter();
        foreach (var record in records) JournalCodec.Write(block, record);

        Assert.Equal(records, JournalCodec.Read(block.Written.ToArray()));
    }

    [Fact]
    public async Task AFirstFormatJournal_IsReplayed_NewRecordsGoToBlocks_AndBothSurviveARestart()
    {
        await using var host = await TradingHost.Start();
        await host.Stop();
        var time = DateTimeOffset.UtcNow.AddMinutes(-5);
        WriteFirstFormat(host.DataDir,
            new OrderAcceptedRecord("DE-ID-15", time, 7, "bob", OrderSide.Sell, OrderType.Limit, TimeInForce.Gtc, 9500, 50, null),
            new OrderRestedRecord("DE-ID-15", time, 7));

        await host.Restart();
        var taken = await host.Limit(OrderSide.Buy, 2m, 95m, account: "alice");
        await host.Restart();

        Assert.Equal(OrderStatus.Filled, taken.Status);
        Assert.True(taken.OrderId > 7, "ids continue after the first format's highest");
        var open = Assert.Single(await host.Engine().Query(e => e.Orders(OrderFilter.Open)));
        Assert.Equal((7L, 3m, OrderStatus.PartiallyFilled), (open.Id, open.RemainingQuantity, open.Status));
        Assert.Equal(2 + 3, host.JournalCount()); // two JSON rows; then accepted, fill and the taker closed, in one block

        var history = host.Services.GetRequiredService<TradeHistory>();
        while (history.IndexNext() > 0) { }
        var trade = Assert.Single(history.Page(new TradeHistoryQuery()));
        Assert.Equal((95m, 2m, "bob", "alice"), (trade.Price, trade.Quantity, trade.MakerAccount, trade.TakerAccount));
    }

    [Fact]
    public async Task ALargeGroupCommit_IsSplitIntoSmallBlocks_AndReadsBackWhole()
    {
        await using var host = await TradingHost.Start();
        var journal = host.Services.GetRequiredService<TradeJournal>();
        var time = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(1, 5_000)
            .Select(i => (JournalRecord)new OrderAcceptedRecord("DE-ID-15", time, 1_000_000 + i, $"account-{i % 7}", OrderSide.Buy, OrderType.Limit, TimeInForce.Gtc, 8000 + i, 10, $"client-{i}"))
            .ToList();
        var committed = new TaskCompletionSource<Exception?>();

        journal.Write(records, [], error => committed.SetResult(error));

        Assert.Null(await committed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var blocks = journal.BlocksAfter(0).ToList();
        Assert.True(blocks.Count > 1, "a 5,000-record commit is more than one block");
        // Under the large-object heap's threshold, so reading and writing blocks stays in gen 0.
        Assert.All(blocks, b => Assert.InRange(b.Data.Length, 1, 84_999));
        Assert.Equal(records, blocks.SelectMany(b => JournalCodec.Read(b.Data)).Where(r => r is OrderAcceptedRecord { Id: > 1_000_000 }));
    }

    [Fact]
    public async Task AnAccountsFills_AfterARestart_ComeWithTheirClientIds_FromBothFormats()
    {
        await using var host = await TradingHost.Start();
        await host.Stop();
        var time = DateTimeOffset.UtcNow.AddMinutes(-5);
        WriteFirstFormat(host.DataDir,
            new OrderAcceptedRecord("DE-ID-15", time, 7, "bob", OrderSide.Sell, OrderType.Limit, TimeInForce.Gtc, 9500, 50, "bob-old-1"),
            new OrderRestedRecord("DE-ID-15", time, 7));
        await host.Restart();
        await host.Limit(OrderSide.Buy, 2m, 95m, account: "alice");
        await host.Bus.Send(new SubmitOrder("DE-ID-15", OrderSide.Sell, 1m, 94m, OrderType.Limit, TimeInForce.Gtc, "bob", "bob-new-1"));
        await host.Limit(OrderSide.Buy, 1m, 94m, account: "alice");
        await host.Restart();

        var bob = await host.Bus.Send(new GetAccountActivity("bob", "DE-ID-15"));
        var alice = await host.Bus.Send(new GetAccountActivity("alice", "DE-ID-15"));

        Assert.Equal([("bob-old-1", OrderSide.Sell, 95m, 2m, true), ("bob-new-1", OrderSide.Sell, 94m, 1m, true)],
            bob.Fills.Select(f => (f.ClientOrderId, f.Side, f.Price, f.Quantity, f.Maker)));
        Assert.Equal([(OrderSide.Buy, 95m, false), (OrderSide.Buy, 94m, false)], alice.Fills.Select(f => (f.Side, f.Price, f.Maker)));
        Assert.Equal(7, Assert.Single(bob.OpenOrders).Id); // 3 MW of the first-format order still rest
    }

    private static void WriteFirstFormat(string dataDir, params JournalRecord[] records)
    {
        using var sql = new SqliteConnection($"Data Source={Path.Combine(dataDir, "phoenyra.db")}");
        sql.Open();
        foreach (var record in records)
        {
            using var insert = sql.CreateCommand();
            insert.CommandText = "INSERT INTO journal(time_utc, market, kind, data) VALUES ($t, $m, $k, $d)";
            insert.Parameters.AddWithValue("$t", record.Time.UtcDateTime.ToString("O"));
            insert.Parameters.AddWithValue("$m", record.Market);
            insert.Parameters.AddWithValue("$k", record.Kind);
            insert.Parameters.AddWithValue("$d", JsonSerializer.Serialize(record, TradeJournal.Json));
            insert.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();
    }
}
