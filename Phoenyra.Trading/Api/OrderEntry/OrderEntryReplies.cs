using System.Text.Json;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Api.OrderEntry;

/// <summary>What the desk sends on the order-entry socket; every frame is a JSON array of these.</summary>
internal abstract record OrderEntryReply
{
    public abstract void Write(Utf8JsonWriter json);
}

/// <summary>The answer to a submit or cancel, after the journal has it: <c>ack</c>, or <c>rejected</c> with the engine's reason code.</summary>
internal sealed record OrderAnswer(string? Ref, string Op, OrderResult Result) : OrderEntryReply
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", Result.Status == OrderStatus.Rejected ? "rejected" : "ack");
        json.WriteString("op", Op);
        json.WriteString("ref", Ref);
        if (Result.OrderId is { } id) json.WriteNumber("id", id); else json.WriteNull("id");
        json.WriteString("status", Codes.Of(Result.Status));
        json.WriteString("market", Result.Market);
        json.WriteNumber("quantity", Result.Quantity);
        json.WriteNumber("filled_quantity", Result.FilledQuantity);
        if (Result.AveragePrice is { } average) json.WriteNumber("average_price", average); else json.WriteNull("average_price");
        if (Result.Reason != RejectReason.None) json.WriteString("reason", Codes.Of(Result.Reason));
        if (Result.Message is { } message) json.WriteString("message", message);
        json.WriteStartArray("fills");
        foreach (var fill in Result.Fills)
        {
            json.WriteStartObject();
            json.WriteNumber("trade_id", fill.TradeId);
            json.WriteNumber("price", fill.Price);
            json.WriteNumber("quantity", fill.Quantity);
            json.WriteString("time", fill.Time);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>A request the desk did not pass to any engine: each error names the field and the reason.</summary>
internal sealed record InvalidRequest(string? Ref, IReadOnlyList<ValidationError> Errors) : OrderEntryReply
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "invalid");
        json.WriteString("ref", Ref);
        json.WriteStartArray("errors");
        foreach (var error in Errors)
        {
            json.WriteStartObject();
            json.WriteString("field", error.Field);
            json.WriteString("reason", error.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}

/// <summary>A later fill of one of the connection's resting orders (fills on arrival are in the order's ack).</summary>
internal sealed record RestingFill(Trade Trade) : OrderEntryReply
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", "fill");
        json.WriteNumber("id", Trade.MakerOrderId);
        json.WriteNumber("trade_id", Trade.Id);
        json.WriteString("market", Trade.Market);
        json.WriteString("side", Codes.Of(Trade.AggressorSide == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy));
        json.WriteNumber("price", Trade.Price);
        json.WriteNumber("quantity", Trade.Quantity);
        json.WriteString("time", Trade.Time);
        json.WriteEndObject();
    }
}

/// <summary>Something the client should know that answers no request: <c>hello</c> on connect, <c>fills_dropped</c>.</summary>
internal sealed record Notice(string Type, string Message, IReadOnlyDictionary<string, long>? Numbers = null) : OrderEntryReply
{
    public override void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("type", Type);
        json.WriteString("message", Message);
        foreach (var (name, value) in Numbers ?? new Dictionary<string, long>()) json.WriteNumber(name, value);
        json.WriteEndObject();
    }
}
