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

    /// <summary>
    /// The most ticks or lots any price or quantity may be (10^15): far beyond every real order,
    /// far inside <see cref="long"/> and the engine's products of ticks and lots.
    /// </summary>
    public const decimal MaxUnits = 1_000_000_000_000_000m;

    /// <summary>True when the price is a whole number of ticks within ±<see cref="MaxUnits"/>; checked before any conversion.</summary>
    public bool TryTicks(decimal price, out long ticks) => TryUnits(price, Tick, out ticks);

    /// <summary>True when the quantity is a whole number of lots within ±<see cref="MaxUnits"/>; checked before any conversion.</summary>
    public bool TryLots(decimal quantity, out long lots) => TryUnits(quantity, Lot, out lots);

    private static bool TryUnits(decimal value, decimal unit, out long units)
    {
        units = 0;
        if (decimal.Abs(value) > MaxUnits * unit) return false;
        var scaled = value / unit;
        units = (long)decimal.Truncate(scaled);
        return scaled == units;
    }

    public decimal Price(long ticks) => NormalizedDecimalConverter.Normalize(ticks * Tick);

    public decimal Quantity(long lots) => NormalizedDecimalConverter.Normalize(lots * Lot);

    /// <summary>MWh delivered by <paramref name="lots"/> over one product period.</summary>
    public decimal Energy(long lots) => NormalizedDecimalConverter.Normalize(lots * Lot * ProductHours);

    /// <summary>The nearest tick, clamped to ±<see cref="MaxUnits"/> (a reference price from a feed is not validated like an order).</summary>
    public long RoundToTick(decimal price) =>
        (long)decimal.Round(Math.Clamp(price, -MaxUnits * Tick, MaxUnits * Tick) / Tick, MidpointRounding.AwayFromZero);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex IdPattern();
}
