using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Benchmarks.Recovery;

/// <summary>
/// <c>recovery [events] [--legacy]</c>: writes a journal of N events shaped like real flow (orders
/// that rest, orders that fill resting ones, cancels) — in compact blocks of about ten orders, as the
/// group commit writes them, or with <c>--legacy</c> as the first format's JSON rows — then times the
/// start-up replay that rebuilds books, orders, positions and prices from it.
/// </summary>
internal static class RecoveryBench
{
    public static async Task Run(int events, bool legacy)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "phoenyra-recovery-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        try
        {
            using (var host = Build(dataDir))
            {
                host.Services.GetRequiredService<IStore>().Migrate();
                var written = Stopwatch.StartNew();
                Fill(host.Services.GetRequiredService<IStore>(), events, legacy);
                Console.WriteLine($"Wrote {events:N0} journal events ({(legacy ? "JSON rows" : "compact blocks")}) in {written.Elapsed.TotalSeconds:F1} s ({(new FileInfo(Path.Combine(dataDir, "phoenyra.db")).Length + (File.Exists(Path.Combine(dataDir, "journal.db")) ? new FileInfo(Path.Combine(dataDir, "journal.db")).Length : 0)) / 1048576.0:F0} MB)");
            }
            SqliteConnection.ClearAllPools();
            for (var run = 1; run <= 3; run++)
            {
                using var host = Build(dataDir);
                var started = Stopwatch.StartNew();
                await host.StartAsync();
                var exchange = host.Services.GetRequiredService<Exchange>();
                var (records, replay) = exchange.LastReplay;
                Console.WriteLine($"run {run}: replayed {records:N0} events in {replay.TotalMilliseconds:N0} ms ({records / replay.TotalSeconds:N0} events/s); host ready in {started.ElapsedMilliseconds:N0} ms; " +
                                  $"{exchange.Engines.Sum(e => e.Snapshot.RestingOrders):N0} resting orders");
                await host.StopAsync();
                SqliteConnection.ClearAllPools();
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static IHost Build(string dataDir) => BenchHost.Build(dataDir);

    // Per order: accepted + rested (passive), or accepted + fill + maker closed + taker closed (aggressive), or a cancel.
    private static void Fill(IStore store, int events, bool legacy)
    {
        var random = new Random(7);
        var markets = new[] { "DE-ID-15", "DE-ID-60" };
        var resting = markets.ToDictionary(m => m, _ => new Queue<(long Id, OrderSide Side)>());
        using var connection = JournalFile.Open(store);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO journal(time_utc, market, kind, data) VALUES ($t, $m, $k, $d)";
        var t = insert.Parameters.Add("$t", SqliteType.Text);
        var m = insert.Parameters.Add("$m", SqliteType.Text);
        var k = insert.Parameters.Add("$k", SqliteType.Text);
        var d = insert.Parameters.Add("$d", SqliteType.Text);
        var time = DateTimeOffset.UtcNow.AddDays(-1);
        long written = 0, orderId = 0, tradeId = 0;
        using var blocks = connection.CreateCommand();
        blocks.Transaction = transaction;
        blocks.CommandText = "INSERT INTO j.journal_blocks(records, data) VALUES ($n, $d)";
        var n = blocks.Parameters.Add("$n", SqliteType.Integer);
        var b = blocks.Parameters.Add("$d", SqliteType.Blob);
        var block = new JournalBlockWriter();
        var inBlock = 0;
        void Flush()
        {
            if (inBlock == 0) return;
            n.Value = inBlock;
            b.Value = block.Written.ToArray();
            blocks.ExecuteNonQuery();
            block.Reset();
            inBlock = 0;
        }
        void Write(JournalRecord record)
        {
            if (!legacy)
            {
                JournalCodec.Write(block, record);
                written++;
                if (++inBlock == 32) Flush();
                return;
            }
            t.Value = record.Time.UtcDateTime.ToString("O");
            m.Value = record.Market;
            k.Value = record.Kind;
            d.Value = JsonSerializer.Serialize(record, TradeJournal.Json);
            insert.ExecuteNonQuery();
            written++;
        }
        while (written < events)
        {
            var market = markets[random.Next(markets.Length)];
            var queue = resting[market];
            time = time.AddMilliseconds(5);
            var roll = random.Next(10);
            if (roll < 5 || queue.Count < 100)
            {
                var side = random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell;
                var id = ++orderId;
                var price = side == OrderSide.Buy ? 8000 - random.Next(500) : 9000 + random.Next(500);
                Write(new OrderAcceptedRecord(market, time, id, $"acct-{random.Next(8)}", side, OrderType.Limit, TimeInForce.Gtc, price, 10, null));
                Write(new OrderRestedRecord(market, time, id));
                queue.Enqueue((id, side));
            }
            else if (roll < 8)
            {
                var (makerId, makerSide) = queue.Dequeue();
                var takerSide = makerSide == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
                var id = ++orderId;
                Write(new OrderAcceptedRecord(market, time, id, "taker", takerSide, OrderType.Limit, TimeInForce.Ioc, 8500, 10, null));
                Write(new FillRecord(market, time, ++tradeId, makerId, id, "acct-x", "taker", takerSide, 8500, 10, false, false));
                Write(new OrderClosedRecord(market, time, makerId, OrderStatus.Filled, RejectReason.None));
                Write(new OrderClosedRecord(market, time, id, OrderStatus.Filled, RejectReason.None));
            }
            else
            {
                var (id, _) = queue.Dequeue();
                Write(new OrderClosedRecord(market, time, id, OrderStatus.Cancelled, RejectReason.None));
            }
        }
        Flush();
        transaction.Commit();
    }
}
