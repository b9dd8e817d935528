using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Http;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Security;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Api.OrderEntry;

/// <summary>
/// <c>/ws/order-entry</c>: orders and cancels for high-rate clients on one WebSocket (trader key in
/// <c>X-API-Key</c>, or <c>api_key</c>). Programs only: a browser's cross-site Origin is refused.
/// Opening and closing are audited with the number of requests served.
/// </summary>
internal static class OrderEntryEndpoint
{
    public const string Path = "/ws/order-entry";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.Map(Path, Serve).RequireAuthorization(Policies.Trader).WithTags("Trading")
            .WithSummary("Order entry over one WebSocket: pipelined submits and cancels, answers and fills of resting orders on the same socket");

    private static async Task<IResult> Serve(HttpContext context, ClaimsPrincipal user, IBus bus, IAuditLog audit, OrderEntryGate gate, OrderEntryMetrics metrics,
        IOptions<TradingOptions> trading, IHostApplicationLifetime lifetime, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Results.Problem(statusCode: 400, title: "WebSocket required", detail: $"{Path} is a WebSocket; connect with ws:// and an X-API-Key header.");
        if (!BrowserOrigin.IsAllowed(context, []))
            return Results.Problem(statusCode: 403, title: "Origin not allowed", detail: "Order entry is for programs; a browser page may not open it.");
        var keyId = user.KeyId();
        if (gate.Admit(keyId) is { } refused)
        {
            metrics.Refused.Add(1, new KeyValuePair<string, object?>("reason", refused.Code));
            return Results.Problem(statusCode: refused.Status, title: "Too many order-entry connections", detail: refused.Reason);
        }
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = new OrderEntrySession(socket, keyId, user.IsAdmin(), bus, trading.Value.OrderEntry, metrics);
            var address = context.Connection.RemoteIpAddress?.ToString();
            await audit.Record(keyId, "order_entry.open", null, new { address }, "ok");
            metrics.Connections.Add(1);
            var started = time.GetUtcNow();
            var ended = "closed";
            try { ended = await session.Run(lifetime.ApplicationStopping); }
            finally
            {
                metrics.Connections.Add(-1);
                await audit.Record(keyId, "order_entry.close", null,
                    new { address, requests = session.Orders, seconds = Math.Round((time.GetUtcNow() - started).TotalSeconds, 1) }, ended);
            }
        }
        finally { gate.Release(keyId); }
        return Results.Empty;
    }
}

/// <summary>Counts order-entry connections per key and in all, against <see cref="OrderEntryOptions"/>.</summary>
internal sealed class OrderEntryGate(IOptions<TradingOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perKey = new(StringComparer.Ordinal);
    private int _total;

    public (int Status, string Code, string Reason)? Admit(string keyId)
    {
        var limits = options.Value.OrderEntry;
        lock (_gate)
        {
            if (_total >= limits.MaxConnections) return (503, "server_limit", $"the desk holds its limit of {limits.MaxConnections} order-entry connections");
            var mine = _perKey.GetValueOrDefault(keyId);
            if (mine >= limits.MaxConnectionsPerKey) return (429, "key_limit", $"key '{keyId}' holds its limit of {limits.MaxConnectionsPerKey} order-entry connections");
            _perKey[keyId] = mine + 1;
            _total++;
            return null;
        }
    }

    public void Release(string keyId)
    {
        lock (_gate)
        {
            _total--;
            if (_perKey.GetValueOrDefault(keyId) <= 1) _perKey.Remove(keyId);
            else _perKey[keyId]--;
        }
    }
}
