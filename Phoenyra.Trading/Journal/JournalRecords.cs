using System.Text.Json.Serialization;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// What the journal stores: the outcome of each order (not the request), in ticks and lots, so
/// replay rebuilds books, orders, positions and prices without re-running matching or risk.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(OrderAcceptedRecord), "accepted")]
[JsonDerivedType(typeof(FillRecord), "fill")]
[JsonDerivedType(typeof(OrderRestedRecord), "rested")]
[JsonDerivedType(typeof(OrderClosedRecord), "closed")]
internal abstract record JournalRecord(string Market, DateTimeOffset Time);

internal sealed record OrderAcceptedRecord(
    string Market, DateTimeOffset Time, long Id, string Account, OrderSide Side, OrderType Type, TimeInForce TimeInForce,
    long? Price, long Quantity, string? ClientOrderId) : JournalRecord(Market, Time);

/// <summary>A trade. Ephemeral orders (simulated liquidity) are not journaled themselves and not restored on replay.</summary>
internal sealed record FillRecord(
    string Market, DateTimeOffset Time, long TradeId, long MakerId, long TakerId, string MakerAccount, string TakerAccount,
    OrderSide TakerSide, long Price, long Quantity, bool MakerEphemeral, bool TakerEphemeral) : JournalRecord(Market, Time);

/// <summary>The order's remaining quantity went into the book (its place in the queue is this record's place in the journal).</summary>
internal sealed record OrderRestedRecord(string Market, DateTimeOffset Time, long Id) : JournalRecord(Market, Time);

/// <summary>The order ended without resting or left the book: filled, cancelled, expired.</summary>
internal sealed record OrderClosedRecord(string Market, DateTimeOffset Time, long Id, OrderStatus Status, RejectReason Reason) : JournalRecord(Market, Time);
