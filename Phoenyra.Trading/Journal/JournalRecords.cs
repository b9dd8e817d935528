using System.Text.Json.Serialization;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// What the journal stores: the outcome of each order (not the request), in ticks and lots, so
/// replay rebuilds books, orders, positions and prices without re-running matching or risk.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(OrderAcceptedRecord), JournalKinds.Accepted)]
[JsonDerivedType(typeof(FillRecord), JournalKinds.Fill)]
[JsonDerivedType(typeof(OrderRestedRecord), JournalKinds.Rested)]
[JsonDerivedType(typeof(OrderClosedRecord), JournalKinds.Closed)]
internal abstract record JournalRecord(string Market, DateTimeOffset Time)
{
    /// <summary>The record's kind, as stored in the journal's <c>kind</c> column and its JSON.</summary>
    [JsonIgnore] public abstract string Kind { get; }
}

/// <summary>The journal's record kinds: the JSON discriminator and the <c>kind</c> column use these.</summary>
internal static class JournalKinds
{
    public const string Accepted = "accepted";
    public const string Fill = "fill";
    public const string Rested = "rested";
    public const string Closed = "closed";
}

internal sealed record OrderAcceptedRecord(
    string Market, DateTimeOffset Time, long Id, string Account, OrderSide Side, OrderType Type, TimeInForce TimeInForce,
    long? Price, long Quantity, string? ClientOrderId) : JournalRecord(Market, Time)
{
    [JsonIgnore] public override string Kind => JournalKinds.Accepted;
}

/// <summary>A trade. Ephemeral orders (simulated liquidity) are not journaled themselves and not restored on replay.</summary>
internal sealed record FillRecord(
    string Market, DateTimeOffset Time, long TradeId, long MakerId, long TakerId, string MakerAccount, string TakerAccount,
    OrderSide TakerSide, long Price, long Quantity, bool MakerEphemeral, bool TakerEphemeral) : JournalRecord(Market, Time)
{
    [JsonIgnore] public override string Kind => JournalKinds.Fill;
}

/// <summary>The order's remaining quantity went into the book (its place in the queue is this record's place in the journal).</summary>
internal sealed record OrderRestedRecord(string Market, DateTimeOffset Time, long Id) : JournalRecord(Market, Time)
{
    [JsonIgnore] public override string Kind => JournalKinds.Rested;
}

/// <summary>The order ended without resting or left the book: filled, cancelled, expired.</summary>
internal sealed record OrderClosedRecord(string Market, DateTimeOffset Time, long Id, OrderStatus Status, RejectReason Reason) : JournalRecord(Market, Time)
{
    [JsonIgnore] public override string Kind => JournalKinds.Closed;
}
