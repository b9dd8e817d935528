using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>
/// Place an order. Quantity is MW for the market's product length; price in EUR/MWh (absent for
/// market orders). <paramref name="PostOnly"/>: the order must add liquidity; one that would trade
/// on arrival is refused (<see cref="RejectReason.PostOnlyWouldCross"/>) instead. <paramref name="ReduceOnly"/>:
/// the order may only reduce the account's position in the market (immediate orders only); one that
/// would grow or flip it is refused (<see cref="RejectReason.ReduceOnlyWouldIncrease"/>).
/// </summary>
public sealed record SubmitOrder(
    string Market,
    OrderSide Side,
    decimal Quantity,
    decimal? Price,
    OrderType Type,
    TimeInForce TimeInForce,
    string Account,
    string? ClientOrderId = null,
    bool PostOnly = false,
    bool ReduceOnly = false) : ICommand<OrderResult>;

/// <summary>Cancel a resting order of <paramref name="Account"/> (<paramref name="Override"/>: an admin cancelling anyone's order).</summary>
public sealed record CancelOrder(long OrderId, string Account, bool Override = false) : ICommand<OrderResult>;

/// <summary>The answer to a submit or cancel, given once the outcome is in the journal.</summary>
public sealed record OrderResult(
    long? OrderId,
    string Market,
    OrderStatus Status,
    RejectReason Reason,
    string? Message,
    decimal Quantity,
    decimal FilledQuantity,
    decimal? AveragePrice,
    IReadOnlyList<Fill> Fills)
{
    public bool Accepted => Status != OrderStatus.Rejected;
}

/// <summary>One execution of an order against the book.</summary>
public sealed record Fill(long TradeId, decimal Price, decimal Quantity, DateTimeOffset Time, bool Maker);

/// <summary>An order as readers see it.</summary>
public sealed record OrderView(
    long Id,
    string Market,
    string Account,
    OrderSide Side,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal? Price,
    decimal Quantity,
    decimal FilledQuantity,
    decimal RemainingQuantity,
    OrderStatus Status,
    RejectReason Reason,
    string? ClientOrderId,
    DateTimeOffset CreatedUtc,
    DateTimeOffset UpdatedUtc);

/// <summary>A trade between two orders; the taker's side is the aggressor side.</summary>
public sealed record Trade(
    long Id,
    string Market,
    decimal Price,
    decimal Quantity,
    OrderSide AggressorSide,
    long MakerOrderId,
    long TakerOrderId,
    string MakerAccount,
    string TakerAccount,
    DateTimeOffset Time)
{
    /// <summary>
    /// What the accounts <paramref name="counts"/> accepts sold in this trade, MW (negative: bought;
    /// zero when both sides or neither count) — the battery's power for a trade that moves it.
    /// </summary>
    public double NetSoldBy(Func<string, bool> counts)
    {
        var mw = 0.0;
        if (counts(TakerAccount)) mw += AggressorSide == OrderSide.Sell ? (double)Quantity : -(double)Quantity;
        if (counts(MakerAccount)) mw += AggressorSide == OrderSide.Buy ? (double)Quantity : -(double)Quantity;
        return mw;
    }

    /// <summary>The maker was a quote of the simulated market maker, not anybody's order.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public bool MakerIsSimulated => OrderIds.IsSimulatedQuote(MakerOrderId);

    /// <summary>The taker was a quote of the simulated market maker (a re-quote crossed a resting order).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public bool TakerIsSimulated => OrderIds.IsSimulatedQuote(TakerOrderId);
}

/// <summary>Order ids: real orders count up from 1; the simulated market maker's quotes count down from −1.</summary>
public static class OrderIds
{
    public static bool IsSimulatedQuote(long orderId) => orderId < 0;
}
