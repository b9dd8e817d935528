using Phoenyra.Core.Contracts;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Hub;

/// <summary>The <c>data</c> objects of each message type, field order fixed; the seq comes first so the signature covers it.</summary>
internal static class StreamPayloads
{
    public static byte[] Mark(long seq, MarkUpdated m) => new CanonicalJson()
        .Integer("seq", seq).String("type", "mark").String("market", m.Market)
        .Number("mark", m.Mark).Number("ema", m.Ema).Number("vwap", m.Vwap)
        .Number("best_bid", m.BestBid).Number("best_ask", m.BestAsk).Number("reference", m.Reference)
        .Time("time", m.Time).ToUtf8();

    public static byte[] Trade(long seq, Trade t) => new CanonicalJson()
        .Integer("seq", seq).String("type", "trade").String("market", t.Market).Integer("trade_id", t.Id)
        .Number("price", t.Price).Number("quantity", t.Quantity).String("aggressor_side", Side(t.AggressorSide))
        .Time("time", t.Time).ToUtf8();

    public static byte[] Order(long seq, OrderView o) => new CanonicalJson()
        .Integer("seq", seq).String("type", "order").Integer("order_id", o.Id).String("client_order_id", o.ClientOrderId)
        .String("market", o.Market).String("side", Side(o.Side))
        .String("order_type", Codes.Of(o.Type)).String("tif", Codes.Of(o.TimeInForce))
        .Number("price", o.Price).Number("quantity", o.Quantity).Number("filled_quantity", o.FilledQuantity)
        .Number("remaining_quantity", o.RemainingQuantity).String("status", Codes.Of(o.Status))
        .String("reason", o.Reason == RejectReason.None ? null : Codes.Of(o.Reason))
        .Time("time", o.UpdatedUtc).ToUtf8();

    /// <summary>One side of a trade as its owner sees it.</summary>
    public static byte[] Fill(long seq, Trade t, bool maker) => new CanonicalJson()
        .Integer("seq", seq).String("type", "fill").Integer("trade_id", t.Id).Integer("order_id", maker ? t.MakerOrderId : t.TakerOrderId)
        .String("market", t.Market).String("side", Side(maker ? Opposite(t.AggressorSide) : t.AggressorSide))
        .Number("price", t.Price).Number("quantity", t.Quantity).String("liquidity", maker ? "maker" : "taker")
        .Time("time", t.Time).ToUtf8();

    /// <summary>First message of every connection: which stream, the server run (epoch) and the last seq.</summary>
    public static byte[] Hello(string stream, long epoch, long lastSeq, string algorithm) => new CanonicalJson()
        .String("type", "hello").String("stream", stream).Integer("epoch", epoch).Integer("last_seq", lastSeq)
        .String("alg", algorithm).ToUtf8();

    /// <summary>Events a resuming client cannot get back; <paramref name="nextSeq"/> is the first it will receive.</summary>
    public static byte[] Gap(string stream, long nextSeq, string reason) => new CanonicalJson()
        .String("type", "gap").String("stream", stream).Integer("next_seq", nextSeq).String("reason", reason).ToUtf8();

    private static string Side(OrderSide side) => side == OrderSide.Buy ? "buy" : "sell";

    private static OrderSide Opposite(OrderSide side) => side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
}
