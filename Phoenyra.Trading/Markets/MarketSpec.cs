using System.Text.RegularExpressions;
using Phoenyra.Core.Json;

namespace Phoenyra.Trading.Markets;

public enum MarketRole { Intraday, Futures }

/// <summary>
/// A tradable market: its product length, tick and lot, and price limits. Converts between the
/// API's decimals and the engine's integer ticks (price) and lots (quantity).
/// </summary>
public sealed partial record MarketSpec(
    string Id,
    MarketRole Role,
    decimal ProductHours,
    string Currency,
    decimal Tick,
    decimal Lot,
    decimal MinPrice,
    decimal MaxPrice)
{
    /// <summary>Market ids travel in signed stream messages, so they are plain ASCII.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public bool TryTicks(decimal price, out long ticks)
    {
        var scaled = price / Tick;
        ticks = (long)decimal.Truncate(scaled);
        return scaled == ticks;
    }

    public bool TryLots(decimal quantity, out long lots)
    {
        var scaled = quantity / Lot;
        lots = (long)decimal.Truncate(scaled);
        return scaled == lots;
    }

    public decimal Price(long ticks) => NormalizedDecimalConverter.Normalize(ticks * Tick);

    public decimal Quantity(long lots) => NormalizedDecimalConverter.Normalize(lots * Lot);

    /// <summary>MWh delivered by <paramref name="lots"/> over one product period.</summary>
    public decimal Energy(long lots) => NormalizedDecimalConverter.Normalize(lots * Lot * ProductHours);

    public long RoundToTick(decimal price) => (long)decimal.Round(price / Tick, MidpointRounding.AwayFromZero);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex IdPattern();
}
