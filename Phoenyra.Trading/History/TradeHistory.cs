using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.History;

/// <summary>Filters and page of a trade-history query; newest first, paged by trade id.</summary>
public sealed record TradeHistoryQuery(
    string? Market = null, string? Account = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null, long? BeforeId = null, int Limit = 100);

/// <summary>
/// Every trade ever made, searchable in the store: an index over the journal's fill records, kept
/// by tailing the journal (a watermark of the last journal row covered), so it is exact, catches up
/// after a restart or a crash, and never touches the order path. The newest trades, not yet
/// indexed, come from the engines' memory (<see cref="Merge"/>).
/// </summary>
internal sealed class TradeHistory(IStore store, IOptions<TradingOptions> options, ILeadership leadership, ILogger<TradeHistory> logger) : BackgroundService
{
    public static readonly Migration Schema = new("trading", 4, "trade history index", Sqlite: """
        CREATE TABLE trade_history (
            id INTEGER PRIMARY KEY,
            market TEXT NOT NULL, time_ms INTEGER NOT NULL,
            price_ticks INTEGER NOT NULL, lots INTEGER NOT NULL, taker_side INTEGER NOT NULL,
            maker_order INTEGER NOT NULL, taker_order INTEGER NOT NULL,
            maker_account TEXT NOT NULL, taker_account TEXT NOT NULL);
        CREATE INDEX trade_history_market ON trade_history(market, id);
        CREATE INDEX trade_history_maker ON trade_history(maker_account, id);
        CREATE INDEX trade_history_taker ON trade_history(taker_account, id);
        CREATE INDEX trade_history_time ON trade_history(time_ms);
        CREATE TABLE trade_history_watermark (journal_seq INTEGER NOT NULL);
        INSERT INTO trade_history_watermark VALUES (0);
        """, Postgres: """
        CREATE TABLE trade_history (
            id BIGINT PRIMARY KEY,
            market TEXT NOT NULL, time_ms BIGINT NOT NULL,
            price_ticks BIGINT NOT NULL, lots BIGINT NOT NULL, taker_side BIGINT NOT NULL,
            maker_order BIGINT NOT NULL, taker_order BIGINT NOT NULL,
            maker_account TEXT NOT NULL, taker_account TEXT NOT NULL);
        CREATE INDEX trade_history_market ON trade_history(market, id);
        CREATE INDEX trade_history_maker ON trade_history(maker_account, id);
        CREATE INDEX trade_history_taker ON trade_history(taker_account, id);
        CREATE INDEX trade_history_time ON trade_history(time_ms);
        CREATE TABLE trade_history_watermark (journal_seq BIGINT NOT NULL, block_seq BIGINT NOT NULL);
        INSERT INTO trade_history_watermark VALUES (0, 0);
        """);

    /// <summary>
    /// The client order id of every journaled order that has one, so an account's fills can be
    /// answered from the index with their client ids (strategies recover by them). The watermarks go
    /// back to the start: the index is rebuilt once, with the ids (trades already there are kept).
    /// </summary>
    public static readonly Migration ClientIdsSchema = new("trading", 6, "client order ids beside the trade history", Sqlite: """
        CREATE TABLE order_client_ids (order_id INTEGER PRIMARY KEY, client_order_id TEXT NOT NULL);
        UPDATE trade_history_watermark SET journal_seq = 0, block_seq = 0;
        """, Postgres: """
        CREATE TABLE order_client_ids (order_id BIGINT PRIMARY KEY, client_order_id TEXT NOT NULL);
        """);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _indexing = new();
    private const long Batch = 200_000;
    private readonly Dictionary<string, MarketSpec> _markets = options.Value.Specs().ToDictionary(s => s.Id, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var paused = false;
        try
        {
            await leadership.Elected.WaitAsync(stoppingToken); // the leader keeps the index; a standby's would only contend with it
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (IndexNext() is var covered && (covered == Batch || covered == BlockBatch)) { }
                    if (paused) logger.LogInformation("Trade history index resumed; it has caught up with the journal");
                    paused = false;
                }
                catch (DbException ex)
                {
                    // Once per outage, not every 100 ms while it lasts.
                    if (!paused) logger.LogWarning(ex, "Trade history index paused: {Problem}; it catches up from the journal when the store recovers", ex.Message);
                    paused = true;
                }
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// Indexes the journal's fills after the watermarks, at most <see cref="Batch"/> rows or blocks at a
    /// time; returns how many it covered. The first format's JSON rows are indexed inside SQLite (the
    /// columns are the fill record's JSON names, <see cref="FillRecord"/>), the blocks here.
    /// </summary>
    internal long IndexNext()
    {
        // The background loop and a caller catching up (AccountFills) index in turn, never over each other.
        lock (_indexing) return IndexNextBatch();
    }

    private long IndexNextBatch()
    {
        using var connection = JournalFile.Open(store);
        // A derived index (the journal is the record; a lost batch is re-indexed from the watermark): no fsync of its own.
        store.RelaxDurability(connection);
        using var transaction = connection.BeginTransaction();
        using var command = connection.Command(store.Provider == StoreProvider.Sqlite
            ? "SELECT (SELECT journal_seq FROM trade_history_watermark), (SELECT COALESCE(MAX(seq), 0) FROM journal), (SELECT block_seq FROM trade_history_watermark)"
            // PostgreSQL never had the first format's rows.
            : "SELECT journal_seq, 0, block_seq FROM trade_history_watermark", transaction);
        long from, top, blocksFrom;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (from, top, blocksFrom) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        var covered = top > from ? IndexRows(command, from, Math.Min(top, from + Batch)) : IndexBlocks(store, connection, transaction, blocksFrom);
        transaction.Commit();
        return covered;
    }

    private static long IndexRows(DbCommand command, long from, long to)
    {
        command.CommandText = """
            INSERT OR IGNORE INTO trade_history(id, market, time_ms, price_ticks, lots, taker_side, maker_order, taker_order, maker_account, taker_account)
            SELECT json_extract(data, '$.tradeId'), market, CAST(ROUND((julianday(time_utc) - 2440587.5) * 86400000) AS INTEGER),
                   json_extract(data, '$.price'), json_extract(data, '$.quantity'), json_extract(data, '$.takerSide'),
                   json_extract(data, '$.makerId'), json_extract(data, '$.takerId'), json_extract(data, '$.makerAccount'), json_extract(data, '$.takerAccount')
            FROM journal WHERE seq > @from AND seq <= @to AND kind = @fill;
            INSERT OR IGNORE INTO order_client_ids(order_id, client_order_id)
            SELECT json_extract(data, '$.id'), json_extract(data, '$.clientOrderId')
            FROM journal WHERE seq > @from AND seq <= @to AND kind = @accepted AND json_extract(data, '$.clientOrderId') IS NOT NULL;
            UPDATE trade_history_watermark SET journal_seq = @to;
            """;
        command.Parameter("@from", from);
        command.Parameter("@to", to);
        command.Parameter("@fill", JournalKinds.Fill);
        command.Parameter("@accepted", JournalKinds.Accepted);
        command.ExecuteNonQuery();
        return to - from;
    }

    private const int BlockBatch = 256;

    private static long IndexBlocks(IStore store, DbConnection connection, DbTransaction transaction, long from)
    {
        long last = from, blocks = 0;
        using (var insert = store.Prepare(connection, """
            INSERT INTO trade_history(id, market, time_ms, price_ticks, lots, taker_side, maker_order, taker_order, maker_account, taker_account)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING
            """))
        using (var clientId = store.Prepare(connection, "INSERT INTO order_client_ids(order_id, client_order_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING"))
        {
            foreach (var (seq, data) in JournalBlocks.After(connection, from, BlockBatch).ToList())
            {
                foreach (var record in JournalCodec.Read(data))
                {
                    if (record is OrderAcceptedRecord { ClientOrderId: { } id } accepted)
                    {
                        clientId.Bind(1, accepted.Id); clientId.Bind(2, id);
                        clientId.Run();
                    }
                    if (record is not FillRecord f) continue;
                    insert.Bind(1, f.TradeId); insert.Bind(2, f.Market); insert.Bind(3, f.Time.ToUnixTimeMilliseconds()); insert.Bind(4, f.Price); insert.Bind(5, f.Quantity);
                    insert.Bind(6, (long)f.TakerSide); insert.Bind(7, f.MakerId); insert.Bind(8, f.TakerId); insert.Bind(9, f.MakerAccount); insert.Bind(10, f.TakerAccount);
                    insert.Run();
                }
                (last, blocks) = (seq, blocks + 1);
            }
            insert.Flush();
            clientId.Flush();
        }
        using var watermark = connection.CreateCommand();
        watermark.Transaction = transaction;
        watermark.CommandText = "UPDATE trade_history_watermark SET block_seq = @to";
        watermark.Parameter("@to", last);
        watermark.ExecuteNonQuery();
        return blocks;
    }

    /// <summary>Indexes whatever the journal has committed and this index has not yet (at most the last moments of trading).</summary>
    public void CatchUp()
    {
        while (IndexNext() > 0) { }
    }

    /// <summary>
    /// Every fill of <paramref name="account"/>'s orders in a market, oldest first, with each order's
    /// client id: what a strategy rebuilds its inventories from after a restart. From the index (by
    /// account), caught up first, so it costs the account's own fills, not the journal's length.
    /// </summary>
    public IReadOnlyList<AccountFill> AccountFills(string account, MarketSpec spec)
    {
        CatchUp();
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        // Two lookups by account (each side has its index), then the market: a market filter first would read the whole market.
        command.CommandText = """
            SELECT t.id, t.time_ms, t.price_ticks, t.lots, t.taker_side, t.maker_order, t.taker_order, t.maker_account, t.taker_account, m.client_order_id, k.client_order_id
            FROM (SELECT * FROM trade_history WHERE maker_account = @account
                  UNION ALL
                  SELECT * FROM trade_history WHERE taker_account = @account AND maker_account <> @account) t
            LEFT JOIN order_client_ids m ON m.order_id = t.maker_order
            LEFT JOIN order_client_ids k ON k.order_id = t.taker_order
            WHERE t.market = @market
            ORDER BY t.id
            """;
        command.Parameter("@account", account);
        command.Parameter("@market", spec.Id);
        var fills = new List<AccountFill>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var (tradeId, time) = (reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)));
            var (price, quantity, takerSide) = (spec.Price(reader.GetInt64(2)), spec.Quantity(reader.GetInt64(3)), (OrderSide)reader.GetInt64(4));
            string? ClientId(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            if (reader.GetString(8) == account)
                fills.Add(new AccountFill(tradeId, reader.GetInt64(6), ClientId(10), takerSide, price, quantity, false, time));
            if (reader.GetString(7) == account)
                fills.Add(new AccountFill(tradeId, reader.GetInt64(5), ClientId(9), takerSide == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy, price, quantity, true, time));
        }
        return fills;
    }

    public IReadOnlyList<Trade> Page(TradeHistoryQuery query)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string clause, string name, object value) { where.Add(clause); command.Parameter(name, value); }
        if (query.Market is { } market) Filter("market = @market", "@market", market);
        if (query.Account is { } account) Filter("(maker_account = @account OR taker_account = @account)", "@account", account);
        if (query.Since is { } since) Filter("time_ms >= @since", "@since", since.ToUnixTimeMilliseconds());
        if (query.Until is { } until) Filter("time_ms < @until", "@until", until.ToUnixTimeMilliseconds());
        if (query.BeforeId is { } before) Filter("id < @before", "@before", before);
        command.CommandText = "SELECT id, market, time_ms, price_ticks, lots, taker_side, maker_order, taker_order, maker_account, taker_account FROM trade_history"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "") + " ORDER BY id DESC LIMIT @limit";
        command.Parameter("@limit", Math.Clamp(query.Limit, 1, 1000));
        var trades = new List<Trade>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!_markets.TryGetValue(reader.GetString(1), out var spec)) continue; // a market no longer configured
            trades.Add(new Trade(reader.GetInt64(0), spec.Id, spec.Price(reader.GetInt64(3)), spec.Quantity(reader.GetInt64(4)),
                (OrderSide)reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
                reader.GetString(8), reader.GetString(9), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }
        return trades;
    }

    /// <summary>The store's page joined with the newest trades from memory (not yet indexed), filtered alike, newest first.</summary>
    public static List<Trade> Merge(IEnumerable<Trade> stored, IEnumerable<Trade> recent, TradeHistoryQuery query) =>
        stored.Concat(recent.Where(t =>
                (query.Market is null || t.Market == query.Market)
                && (query.Account is null || t.MakerAccount == query.Account || t.TakerAccount == query.Account)
                && (query.Since is null || t.Time >= query.Since) && (query.Until is null || t.Time < query.Until)
                && (query.BeforeId is null || t.Id < query.BeforeId)))
            .DistinctBy(t => t.Id).OrderByDescending(t => t.Id).Take(query.Limit).ToList();
}
