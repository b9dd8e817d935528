using System.Data.Common;
using Phoenyra.Core.Storage;

namespace Phoenyra.Bess.Forecasting;

/// <summary>What a stored price is: the last reference price seen in a period, or a day-ahead expectation for it.</summary>
internal enum PriceKind { Observed, DayAhead }

/// <summary>One stored price: a market's product period (by its start) and where the price came from.</summary>
internal sealed record StoredPrice(string Market, PriceKind Kind, DateTimeOffset PeriodStart, double Price, string Source);

/// <summary>
/// The planner's price history in the store, so a restarted desk forecasts from what it saw
/// before: observed prices per period and day-ahead curves, kept for the telemetry retention.
/// </summary>
internal sealed class PriceHistoryStore(IStore store)
{
    public static readonly Migration Schema = new("bess", 2, "price history for the planner's forecast", Sqlite: """
        CREATE TABLE bess_prices (
            market TEXT NOT NULL,
            kind TEXT NOT NULL,
            period_start_ms INTEGER NOT NULL,
            price REAL NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (market, kind, period_start_ms));
        """, Postgres: """
        CREATE TABLE bess_prices (
            market TEXT NOT NULL,
            kind TEXT NOT NULL,
            period_start_ms BIGINT NOT NULL,
            price DOUBLE PRECISION NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (market, kind, period_start_ms));
        """);

    public void Save(IReadOnlyCollection<StoredPrice> prices)
    {
        if (prices.Count == 0) return;
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        using (var upsert = store.Prepare(connection, """
            INSERT INTO bess_prices(market, kind, period_start_ms, price, source) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(market, kind, period_start_ms) DO UPDATE SET price = excluded.price, source = excluded.source
            """))
        {
            foreach (var row in prices)
            {
                upsert.Bind(1, row.Market);
                upsert.Bind(2, Name(row.Kind));
                upsert.Bind(3, row.PeriodStart.ToUnixTimeMilliseconds());
                upsert.Bind(4, row.Price);
                upsert.Bind(5, row.Source);
                upsert.Run();
            }
            upsert.Flush();
        }
        transaction.Commit();
    }

    /// <summary>The market's prices of periods starting at or after <paramref name="since"/>.</summary>
    public List<StoredPrice> Load(string market, DateTimeOffset since)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, period_start_ms, price, source FROM bess_prices WHERE market = @m AND period_start_ms >= @since";
        command.Parameter("@m", market);
        command.Parameter("@since", since.ToUnixTimeMilliseconds());
        using var reader = command.ExecuteReader();
        var rows = new List<StoredPrice>();
        while (reader.Read())
            rows.Add(new StoredPrice(market, reader.GetString(0) == Name(PriceKind.DayAhead) ? PriceKind.DayAhead : PriceKind.Observed,
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetDouble(2), reader.GetString(3)));
        return rows;
    }

    public int DeleteOlderThan(DateTimeOffset cutoff)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM bess_prices WHERE period_start_ms < @cutoff";
        command.Parameter("@cutoff", cutoff.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    private static string Name(PriceKind kind) => kind == PriceKind.DayAhead ? "day_ahead" : "observed";
}
