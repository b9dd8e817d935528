using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Cli;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Snapshots;

namespace Phoenyra.Benchmarks.Recovery;

/// <summary>
/// <c>recovery [events] [--legacy]</c>: writes a journal of N events shaped like real flow (orders
/// that rest, orders that fill resting ones, cancels) — in compact blocks of about ten orders, as the
/// group commit writes them, or with <c>--legacy</c> as the first format's JSON rows — and times the
/// start-up replay: the whole journal (snapshots off); then, once the desk has taken its snapshot,
/// with the worst tail a desk can have (one record short of the next snapshot) after it.
/// </summary>
internal static class RecoveryBench
{
    private static readonly int EveryRecords = new Phoenyra.Trading.Snapshots.SnapshotOptions().EveryRecords;

    public static async Task Run(int events, bool legacy)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "phoenyra-recovery-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var table = new TextTable("start", "run", "journal events", "snapshot covers", "replayed", "replay ms", "host ready ms", "resting orders", "one strategy's recovery ms");
        try
        {
            var flow = new Flow();
            using (var host = Build(dataDir, snapshots: false))
            {
                var store = host.Services.GetRequiredService<IStore>();
                store.Migrate();
                var written = Stopwatch.StartNew();
                flow.Write(store, events, legacy);
                Console.WriteLine($"Wrote {events:N0} journal events ({(legacy ? "JSON rows" : "compact blocks")}) in {written.Elapsed.TotalSeconds:F1} s ({Megabytes(dataDir):F0} MB)");
            }
            SqliteConnection.ClearAllPools();
            for (var run = 1; run <= 3; run++) await Start(dataDir, "full replay", run, snapshots: false, table);

            // The desk's own snapshotter takes the snapshot (it replays behind the desk), then the tail grows.
            using (var host = Build(dataDir, snapshots: true))
            {
                await host.StartAsync();
                var taken = Stopwatch.StartNew();
                while (host.Services.GetRequiredService<SnapshotStore>().Latest() is null) await Task.Delay(100);
                Console.WriteLine($"Snapshot taken {taken.Elapsed.TotalSeconds:F1} s after start");
                await host.StopAsync();
                flow.Write(host.Services.GetRequiredService<IStore>(), EveryRecords - 1, legacy: false);
            }
            SqliteConnection.ClearAllPools();
            for (var run = 1; run <= 3; run++) await Start(dataDir, "snapshot + tail", run, snapshots: true, table);
            for (var run = 1; run <= 2; run++) await Start(dataDir, "full replay", run, snapshots: false, table);
            Console.Write(table);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task Start(string dataDir, string label, int run, bool snapshots, TextTable table)
    {
        using var host = Build(dataDir, snapshots, startSnapshotter: false);
        var started = Stopwatch.StartNew();
        await host.StartAsync();
        var ready = started.ElapsedMilliseconds;
        var exchange = host.Services.GetRequiredService<Exchange>();
        var (records, replay) = exchange.LastReplay;
        var covered = exchange.LastSnapshot?.Records ?? 0;
        // What each configured strategy asks at start (StrategyHost): its account's fills and open orders; "taker" is in every fill (the worst case).
        var asked = Stopwatch.StartNew();
        var fills = (await host.Services.GetRequiredService<IBus>().Send(new GetAccountActivity("taker", "DE-ID-15"))).Fills.Count;
        var activity = asked.ElapsedMilliseconds;
        table.Add(label, run.ToString(), (covered + records).ToString("N0"), covered.ToString("N0"), records.ToString("N0"),
            replay.TotalMilliseconds.ToString("N0"), ready.ToString("N0"), exchange.Engines.Sum(e => e.Snapshot.RestingOrders).ToString("N0"), $"{activity:N0} ({fills:N0} fills)");
        await host.StopAsync();
        SqliteConnection.ClearAllPools();
    }

    private static IHost Build(string dataDir, bool snapshots, bool startSnapshotter = true) => BenchHost.Build(dataDir, new Dictionary<string, string?>
    {
        ["Phoenyra:Trading:Snapshots:Enabled"] = snapshots ? "true" : "false",
        // Timed starts read the snapshot but take none (a start must not wait for the replica).
        ["Phoenyra:Trading:Snapshots:EveryRecords"] = startSnapshotter ? EveryRecords.ToString() : "100000000",
    });

    private static double Megabytes(string dataDir) =>
        Directory.GetFiles(dataDir, "*.db*").Sum(f => new FileInfo(f).Length) / 1048576.0;

    /// <summary>Order flow continued across calls: per order accepted + rested (passive), or accepted + fill + maker closed + taker closed (aggressive), or a cancel.</summary>
    private sealed class Flow
    {
        private readonly Random _random = new(7);
        private readonly string[] _markets = ["DE-ID-15", "DE-ID-60"];
        private readonly Dictionary<string, Queue<(long Id, OrderSide Side)>> _resting = new() { ["DE-ID-15"] = new(), ["DE-ID-60"] = new() };
        private DateTimeOffset _time = DateTimeOffset.UtcNow.AddDays(-1);
        private long _orderId, _tradeId;

        public void Write(IStore store, int events, bool legacy)
        {
            using var connection = (SqliteConnection)JournalFile.Open(store);
            using var transaction = connection.BeginTransaction();
            using var rows = connection.CreateCommand();
            rows.Transaction = transaction;
            rows.CommandText = "INSERT INTO journal(time_utc, market, kind, data) VALUES ($t, $m, $k, $d)";
            var t = rows.Parameters.Add("$t", SqliteType.Text);
            var m = rows.Parameters.Add("$m", SqliteType.Text);
            var k = rows.Parameters.Add("$k", SqliteType.Text);
            var d = rows.Parameters.Add("$d", SqliteType.Text);
            using var blocks = connection.CreateCommand();
            blocks.Transaction = transaction;
            blocks.CommandText = "INSERT INTO j.journal_blocks(records, data) VALUES ($n, $d)";
            var n = blocks.Parameters.Add("$n", SqliteType.Integer);
            var b = blocks.Parameters.Add("$d", SqliteType.Blob);
            var block = new JournalBlockWriter();
            var inBlock = 0;
            long written = 0;
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
                written++;
                if (!legacy)
                {
                    JournalCodec.Write(block, record);
                    if (++inBlock == 32) Flush();
                    return;
                }
                t.Value = record.Time.UtcDateTime.ToString("O");
                m.Value = record.Market;
                k.Value = record.Kind;
                d.Value = JsonSerializer.Serialize(record, TradeJournal.Json);
                rows.ExecuteNonQuery();
            }
            while (written < events)
            {
                var market = _markets[_random.Next(_markets.Length)];
                var queue = _resting[market];
                _time = _time.AddMilliseconds(5);
                var roll = _random.Next(10);
                if (roll < 5 || queue.Count < 100)
                {
                    var side = _random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell;
                    var id = ++_orderId;
                    var price = side == OrderSide.Buy ? 8000 - _random.Next(500) : 9000 + _random.Next(500);
                    Write(new OrderAcceptedRecord(market, _time, id, $"acct-{_random.Next(8)}", side, OrderType.Limit, TimeInForce.Gtc, price, 10, null));
                    Write(new OrderRestedRecord(market, _time, id));
                    queue.Enqueue((id, side));
                }
                else if (roll < 8)
                {
                    var (makerId, makerSide) = queue.Dequeue();
                    var takerSide = makerSide == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
                    var id = ++_orderId;
                    Write(new OrderAcceptedRecord(market, _time, id, "taker", takerSide, OrderType.Limit, TimeInForce.Ioc, 8500, 10, null));
                    Write(new FillRecord(market, _time, ++_tradeId, makerId, id, "acct-x", "taker", takerSide, 8500, 10, false, false));
                    Write(new OrderClosedRecord(market, _time, makerId, OrderStatus.Filled, RejectReason.None));
                    Write(new OrderClosedRecord(market, _time, id, OrderStatus.Filled, RejectReason.None));
                }
                else
                {
                    var (id, _) = queue.Dequeue();
                    Write(new OrderClosedRecord(market, _time, id, OrderStatus.Cancelled, RejectReason.None));
                }
            }
            Flush();
            transaction.Commit();
        }
    }
}
