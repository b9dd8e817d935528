using System.Text.Json;
using System.Text.Json.Serialization;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Api.OrderEntry;

/// <summary>
/// One request on the order-entry socket: the REST order body plus <c>op</c> (<c>submit</c>, the
/// default, or <c>cancel</c> with <c>id</c>) and <c>ref</c>, the client's tag echoed in the answer.
/// </summary>
internal sealed record OrderEntryRequest(
    string? Op, string? Ref, long? Id, string? Market, string? Side, decimal? Quantity, decimal? Price, string? Type, string? Tif,
    string? ClientOrderId, bool? PostOnly, bool? ReduceOnly)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
    };

    public OrderRequest AsOrder() => new(Market, Side, Quantity, Price, Type, Tif, ClientOrderId, PostOnly, ReduceOnly);

    /// <summary>A message is one request or an array of them; each failure names the field.</summary>
    public static (OrderEntryRequest[] Requests, ValidationError? Error) Parse(ReadOnlySpan<byte> message, int maxOrders)
    {
        try
        {
            var trimmed = message.TrimStart(" \t\r\n"u8);
            var requests = trimmed.Length > 0 && trimmed[0] == (byte)'['
                ? JsonSerializer.Deserialize<OrderEntryRequest[]>(trimmed, Json) ?? []
                : [JsonSerializer.Deserialize<OrderEntryRequest>(trimmed, Json) ?? throw new JsonException("null is not an order")];
            if (requests.Length == 0) return ([], new("message", "holds no orders; send an order object or an array of them"));
            if (requests.Length > maxOrders) return ([], new("message", $"holds {requests.Length} orders; send at most {maxOrders} per message"));
            if (requests.Any(r => r is null)) return ([], new("message", "an array element is null; send order objects"));
            return (requests, null);
        }
        catch (JsonException ex)
        {
            // The reader's own words name the position and, for a number out of range, the field.
            return ([], new(ex.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "message", $"is not a valid order message: {ex.Message.Split(" Path:")[0]}"));
        }
    }

    /// <summary>The client's tag: at most 64 printable ASCII characters.</summary>
    public ValidationError? RefError() => Ref is { } r && (r.Length > 64 || r.Any(c => c is < ' ' or > '~'))
        ? new ValidationError("ref", "must be at most 64 printable ASCII characters")
        : null;
}
