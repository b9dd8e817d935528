using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Auth;

/// <summary>
/// One-time stream tickets, so a browser opens <c>/ws/…</c> without putting its key in the URL (where
/// proxies, history and logs keep it): <c>POST /api/streams/ticket</c> with the key in a header gives a
/// ticket good for one WebSocket handshake (<c>?ticket=…</c>) within <see cref="Lifetime"/>, as that key.
/// A key holds at most <see cref="PerKey"/> unused tickets and the desk <see cref="Total"/>; expired ones
/// are swept as new ones are issued, so no caller can grow the table.
/// </summary>
internal sealed class StreamTickets(ApiKeyRegistry registry, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public const int PerKey = 16;
    public const int Total = 10_000;

    private readonly ConcurrentDictionary<string, (string KeyId, DateTimeOffset Expires)> _tickets = new(StringComparer.Ordinal);
    private readonly Lock _issuing = new();

    /// <summary>A new ticket for <paramref name="keyId"/>, or null when it already holds <see cref="PerKey"/> (or the desk <see cref="Total"/>).</summary>
    public string? Issue(string keyId)
    {
        var now = time.GetUtcNow();
        lock (_issuing)
        {
            foreach (var (ticket, entry) in _tickets)
                if (entry.Expires <= now) _tickets.TryRemove(ticket, out _);
            if (_tickets.Count >= Total || _tickets.Values.Count(e => e.KeyId == keyId) >= PerKey) return null;
            var issued = "tkt_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _tickets[issued] = (keyId, now + Lifetime);
            return issued;
        }
    }

    /// <summary>The key a ticket stands for, once: the ticket is gone after this call; null when unknown, used or expired, or the key was revoked since.</summary>
    public ApiKeyInfo? Redeem(string ticket) =>
        _tickets.TryRemove(ticket, out var entry) && entry.Expires > time.GetUtcNow() ? registry.ById(entry.KeyId) : null;

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/streams/ticket", (StreamTickets tickets, System.Security.Claims.ClaimsPrincipal user) =>
            tickets.Issue(user.KeyId()) is { } ticket
                ? Results.Ok(new { ticket, expires_in = (int)Lifetime.TotalSeconds, use = "open /ws/market or /ws/orders with ?ticket=… once, instead of ?api_key=" })
                : Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"key '{user.KeyId()}' holds {PerKey} unused stream tickets (or the desk {Total}); use them or let them expire ({Lifetime.TotalSeconds:0} s)"))
            .RequireAuthorization(Policies.Viewer).WithTags("Streams").WithSummary("A one-time ticket to open a stream without the key in the URL");
}
