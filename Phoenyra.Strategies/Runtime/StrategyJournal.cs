using System.Globalization;
using Phoenyra.Core.Storage;

namespace Phoenyra.Strategies.Runtime;

/// <summary>What a strategy must remember that the order journal does not hold.</summary>
public enum StrategyEventKind
{
    /// <summary>Long and short inventories closed against each other (hedge mode on a netting venue): no trade, so not in the order journal.</summary>
    Offset,
    /// <summary>The kill switch halted the strategy; it stays halted across a restart until reset.</summary>
    Halted,
    /// <summary>An operator signed off a halt.</summary>
    Reset,
    /// <summary>A flash-arb cycle is about to trade (its id and quotes in the text): a restart that finds it unclosed resolves it.</summary>
    CycleOpened,
    /// <summary>A flash-arb cycle ended (its whole record, JSON, in the text).</summary>
    CycleClosed,
    /// <summary>A flash-arb cycle sent an order (JSON in the text): without its answer, a restart cannot know what filled.</summary>
    CycleLegSent,
    /// <summary>A flash-arb cycle's order was answered (JSON with what filled in the text).</summary>
    CycleLegDone,
    /// <summary>The kill switch's first look on a UTC day: the total PnL the day's loss counts from (in the price field), kept across restarts.</summary>
    DayStart,
    /// <summary>An operator started the strategy (the key id in the text): a reset after a halt needs another key, or an admin.</summary>
    Started,
}

public sealed record StrategyEvent(StrategyEventKind Kind, DateTimeOffset Time, decimal Quantity, decimal Price, string? Text);

/// <summary>
/// A strategy's own durable facts (table <c>strategy_events</c>), written synchronously: an offset
/// or a halt is on disk before the strategy acts on it. Fills and orders are the trading journal's.
/// </summary>
internal sealed class StrategyJournal(IStore store)
{
    public static readonly Migration Schema = new("strategies", 1, "strategy events", """
        CREATE TABLE strategy_events (
            row INTEGER PRIMARY KEY AUTOINCREMENT,
            strategy_id TEXT NOT NULL, kind TEXT NOT NULL, time_utc TEXT NOT NULL,
            quantity TEXT NOT NULL, price TEXT NOT NULL, text TEXT NULL);
        CREATE INDEX strategy_events_id ON strategy_events(strategy_id, row);
        """);

    public void Append(string strategyId, StrategyEvent e)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO strategy_events(strategy_id, kind, time_utc, quantity, price, text) VALUES ($id, $kind, $time, $quantity, $price, $text)";
        command.Parameters.AddWithValue("$id", strategyId);
        command.Parameters.AddWithValue("$kind", e.Kind.ToString());
        command.Parameters.AddWithValue("$time", e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$quantity", e.Quantity.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$price", e.Price.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$text", (object?)e.Text ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    public List<StrategyEvent> Read(string strategyId)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, time_utc, quantity, price, text FROM strategy_events WHERE strategy_id = $id ORDER BY row";
        command.Parameters.AddWithValue("$id", strategyId);
        using var reader = command.ExecuteReader();
        var events = new List<StrategyEvent>();
        while (reader.Read())
            events.Add(new StrategyEvent(Enum.Parse<StrategyEventKind>(reader.GetString(0)),
                DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                decimal.Parse(reader.GetString(2), CultureInfo.InvariantCulture), decimal.Parse(reader.GetString(3), CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        return events;
    }
}
