using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Api;

/// <summary>
/// The seed's order body: <c>{"market","side","quantity","price","type","tif"}</c> plus an optional
/// <c>client_order_id</c>, <c>post_only</c> and <c>reduce_only</c>. Enum fields arrive as text so a bad value is reported by field name.
/// </summary>
public sealed record OrderRequest(string? Market, string? Side, decimal? Quantity, decimal? Price, string? Type, string? Tif, string? ClientOrderId, bool? PostOnly = null, bool? ReduceOnly = null)
{
    public (SubmitOrder? Order, List<ValidationError> Errors) ToCommand(string account)
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrWhiteSpace(Market)) errors.Add(new("market", "is required"));
        var side = Side?.ToLowerInvariant() switch { "buy" => OrderSide.Buy, "sell" => OrderSide.Sell, _ => (OrderSide?)null };
        if (side is null) errors.Add(new("side", "must be buy or sell"));
        var type = (Type ?? "limit").ToLowerInvariant() switch { "limit" => OrderType.Limit, "market" => OrderType.Market, _ => (OrderType?)null };
        if (type is null) errors.Add(new("type", "must be limit or market"));
        var defaultTif = type == OrderType.Market ? "ioc" : "gtc";
        var tif = (Tif ?? defaultTif).ToLowerInvariant() switch { "gtc" => TimeInForce.Gtc, "ioc" => TimeInForce.Ioc, "fok" => TimeInForce.Fok, _ => (TimeInForce?)null };
        if (tif is null) errors.Add(new("tif", "must be gtc, ioc or fok"));
        if (Quantity is null) errors.Add(new("quantity", "is required (MW)"));
        return errors.Count > 0
            ? (null, errors)
            : (new SubmitOrder(Market!, side!.Value, Quantity!.Value, Price, type!.Value, tif!.Value, account, ClientOrderId, PostOnly ?? false, ReduceOnly ?? false), errors);
    }
}
