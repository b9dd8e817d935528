using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>An order's state changed (accepted, filled, cancelled, expired); published after the journal commit.</summary>
public sealed record OrderUpdated(OrderView Order) : IEvent;

/// <summary>A trade happened; published after the journal commit.</summary>
public sealed record TradeExecuted(Trade Trade) : IEvent;

/// <summary>
/// A market's prices moved: the mark (see <see cref="MarkSource"/> for where it came from), EMA,
/// 15-minute VWAP, best bid/ask, the reference and the last trade with its time.
/// </summary>
public sealed record MarkUpdated(
    string Market,
    decimal? Mark,
    decimal? Ema,
    decimal? Vwap,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Reference,
    DateTimeOffset Time,
    MarkSource MarkSource = MarkSource.None,
    decimal? LastTrade = null,
    DateTimeOffset? LastTradeTime = null) : IEvent;

/// <summary>
/// Where a mark comes from. The mark is the last trade while it is recent, clamped into the
/// current bid/ask (a trade below the bid marks at the bid); once the trade is older than the
/// configured age, the mid; without both sides, the reference price; failing all, whatever is left.
/// </summary>
public enum MarkSource { None, LastTrade, BestBid, BestAsk, Mid, Reference }

/// <summary>The risk engine or the book refused an order before it was accepted (it has no id); for the order history.</summary>
public sealed record OrderRejected(
    string Market,
    string Account,
    OrderSide Side,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal Quantity,
    decimal? Price,
    RejectReason Reason,
    string? Message,
    string? ClientOrderId,
    DateTimeOffset Time) : IEvent;

/// <summary>The desk's net position in a market changed.</summary>
public sealed record PositionChanged(PositionView Position) : IEvent;

/// <summary>Net position in MW of the product, with energy and money views.</summary>
public sealed record PositionView(
    string Market,
    decimal NetQuantity,
    decimal? AveragePrice,
    decimal RealizedPnl,
    decimal UnrealizedPnl,
    decimal ExposureEnergyMwh,
    decimal ExposureNotionalEur,
    decimal? Mark);

/// <summary>
/// A guard from outside the trading module (e.g. BESS telemetry) changed. Guards with the same
/// <see cref="Source"/> and <see cref="Name"/> replace each other; the risk engine applies the active
/// set: blocked sides, the lowest rate factor, and the strictest <see cref="State"/> (reducing, halted).
/// A guard with <see cref="Markets"/> acts on those markets only (a battery's guards on the markets it
/// delivers into); without, on the whole desk (kill switch, operator and alert-driven reducing).
/// </summary>
public sealed record TradingGuardChanged(
    string Source,
    string Name,
    bool Active,
    OrderSide? BlockedSide,
    double RateFactor,
    string Reason,
    DateTimeOffset Time,
    TradingState? State = null,
    IReadOnlyList<string>? Markets = null) : IEvent
{
    /// <summary>Whether the guard acts on <paramref name="market"/> (a loop: every order's risk check asks).</summary>
    public bool AppliesTo(string market)
    {
        if (Markets is null) return true;
        for (var i = 0; i < Markets.Count; i++)
            if (string.Equals(Markets[i], market, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Where it acts, as a trader reads it: "the desk" or "DE-ID-15, DE-ID-60".</summary>
    public string Scope => Markets is null ? "the desk" : string.Join(", ", Markets);

    /// <summary>What the guard does to trading, as a trader reads it: "SELL blocked", "trading reducing", "order submit rate x0.5".</summary>
    public string Effect => Describe(BlockedSide, State, RateFactor);

    /// <summary>The whole sentence: "SELL blocked by bess: SoC 12 % is below 15 %" ("SELL blocked in DE-ID-15, DE-ID-60 by bess: …" for a guard on some markets).</summary>
    public string Explanation => Markets is null ? $"{Effect} by {Source}: {Reason}" : $"{Effect} in {Scope} by {Source}: {Reason}";

    public static string Describe(OrderSide? blockedSide, TradingState? state, double rateFactor) =>
        blockedSide is { } side ? $"{Codes.Of(side).ToUpperInvariant()} blocked"
        : state is { } s ? $"trading {Codes.Of(s)}"
        : rateFactor < 1 ? $"order submit rate x{rateFactor.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}"
        : "no effect";
}

/// <summary>
/// A policy file is in force (at start-up and after each valid reload). <see cref="Sections"/> holds
/// each registered module section's parsed value, by its top-level key.
/// </summary>
public sealed record RiskPolicyChanged(int Version, string Hash, string Actor, DateTimeOffset Time, IReadOnlyDictionary<string, object> Sections) : IEvent
{
    /// <summary>The parsed section <paramref name="name"/>, or null when none of that type is registered.</summary>
    public T? Section<T>(string name) where T : class => Sections.TryGetValue(name, out var value) ? value as T : null;
}

/// <summary>The desk kill switch's guard (<see cref="TradingGuardChanged"/> with this source and name): the desk is halted while it is active.</summary>
public static class DeskHaltGuard
{
    public const string Source = "desk";
    public const string Name = "kill-switch";

    public static bool Is(TradingGuardChanged change) => change.Source == Source && change.Name == Name;
}
