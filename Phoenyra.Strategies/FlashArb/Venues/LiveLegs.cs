using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.FlashArb.Cycle;

namespace Phoenyra.Strategies.FlashArb.Venues;

/// <summary>
/// ICE (document 002): quotes from <c>GET {ICE_API_URL}/marketdata/{ICE_SYMBOL}/price</c>
/// (<c>bid</c>, <c>ask</c>), IOC orders to <c>POST {ICE_API_URL}/orders</c>. Each request carries
/// <c>X-API-KEY</c>, <c>X-TIMESTAMP</c> and <c>X-SIGNATURE</c> = hex HMAC-SHA256 of timestamp + body
/// with <c>ICE_API_SECRET</c>. Lot and product length follow the desk market it stands for.
/// </summary>
public sealed class IceLeg(VenueHttp http, string baseUrl, string symbol, string apiKey, string apiSecret, LegQuote rules, TimeProvider time) : ILeg
{
    public string Name => $"ICE {symbol}";

    public async Task<LegQuote?> Quote(CancellationToken ct)
    {
        var (body, _) = await http.Call(() => Signed(HttpMethod.Get, $"{baseUrl.TrimEnd('/')}/marketdata/{Uri.EscapeDataString(symbol)}/price", ""), ct);
        if (body is null || http.Fault(body, "bid", "ask") is not null) return null;
        var bid = VenueHttp.Number(body, "bid");
        var ask = VenueHttp.Number(body, "ask");
        return bid is null && ask is null ? null : rules with { Bid = bid, Ask = ask };
    }

    public async Task<LegFill> Trade(OrderSide side, decimal quantity, decimal? limit, string clientOrderId, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new
        {
            symbol, side = side == OrderSide.Buy ? "BUY" : "SELL", quantity, price = limit, type = limit is null ? "MARKET" : "LIMIT",
            time_in_force = "IOC", client_order_id = clientOrderId,
        });
        var (body, problem) = await http.Call(() => Signed(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/orders", json), ct);
        return LiveFill.From(http, body, problem);
    }

    private HttpRequestMessage Signed(HttpMethod method, string url, string body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(method, url);
        if (body.Length > 0) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Add("X-API-KEY", apiKey);
        request.Headers.Add("X-TIMESTAMP", timestamp);
        request.Headers.Add("X-SIGNATURE", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiSecret), Encoding.UTF8.GetBytes(timestamp + body))));
        return request;
    }
}

/// <summary>
/// Powerledger (document 002): the org-scoped bearer token on every request, and
/// <c>POWERLEDGER_ORG</c> and <c>POWERLEDGER_MARKET</c> on every order. Quotes from
/// <c>GET {POWERLEDGER_API_URL}/markets/{market}/quote</c> (<c>bid</c>, <c>ask</c>), IOC orders to
/// <c>POST {POWERLEDGER_API_URL}/orders</c>.
/// </summary>
public sealed class PowerledgerLeg(VenueHttp http, string baseUrl, string token, string org, string market, LegQuote rules) : ILeg
{
    public string Name => $"Powerledger {market}";

    public async Task<LegQuote?> Quote(CancellationToken ct)
    {
        var (body, _) = await http.Call(() => Authorised(HttpMethod.Get, $"{baseUrl.TrimEnd('/')}/markets/{Uri.EscapeDataString(market)}/quote", null), ct);
        if (body is null || http.Fault(body, "bid", "ask") is not null) return null;
        var bid = VenueHttp.Number(body, "bid");
        var ask = VenueHttp.Number(body, "ask");
        return bid is null && ask is null ? null : rules with { Bid = bid, Ask = ask };
    }

    public async Task<LegFill> Trade(OrderSide side, decimal quantity, decimal? limit, string clientOrderId, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(new
        {
            org, market, side = side == OrderSide.Buy ? "buy" : "sell", quantity, price = limit, time_in_force = "IOC", client_order_id = clientOrderId,
        });
        var (body, problem) = await http.Call(() => Authorised(HttpMethod.Post, $"{baseUrl.TrimEnd('/')}/orders", json), ct);
        return LiveFill.From(http, body, problem);
    }

    private HttpRequestMessage Authorised(HttpMethod method, string url, string? body)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }
}

/// <summary>A venue's order answer (<c>filled_quantity</c>, <c>average_price</c>) as a fill; a malformed one fills nothing and says so.</summary>
internal static class LiveFill
{
    public static LegFill From(VenueHttp http, JsonElement? body, string? problem)
    {
        if (body is null) return new LegFill(0, null, problem);
        if (http.Fault(body, "filled_quantity", "average_price") is { } fault) return new LegFill(0, null, fault);
        var filled = VenueHttp.Number(body, "filled_quantity");
        if (filled is null or < 0) return new LegFill(0, null, "the venue's order answer has no filled_quantity");
        return new LegFill(filled.Value, VenueHttp.Number(body, "average_price"), filled == 0 ? "nothing filled" : null);
    }
}
