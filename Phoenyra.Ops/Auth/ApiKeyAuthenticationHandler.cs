using Phoenyra.Core.Contracts;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Phoenyra.Core.Security;
using Phoenyra.Core.Http;

namespace Phoenyra.Ops.Auth;

/// <summary>
/// Reads the key from <c>X-API-Key</c> (header names are case-insensitive), from
/// <c>Authorization: Bearer</c> (what Prometheus can send), or from the <c>api_key</c> query on
/// WebSocket handshakes only, so keys stay out of ordinary URLs and access logs. A handshake may
/// carry a one-time <c>ticket</c> instead (<see cref="StreamTickets"/>): it stands for the key it was issued to.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRegistry registry,
    StreamTickets tickets,
    FailedAuthGuard failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Context);
        var ticket = presented is null ? Ticket(Context) : null;
        if (presented is null && ticket is null) return Task.FromResult(AuthenticateResult.NoResult());
        var info = presented is not null ? registry.Find(presented) : tickets.Redeem(ticket!);
        if (info is null)
        {
            failures.Failed(FailedAuthGuard.Address(Context), $"unknown {(ticket is null ? "API key" : "stream ticket")} on {Request.Method} {Request.Path}");
            return Task.FromResult(AuthenticateResult.Fail(ticket is null ? "The API key is not valid." : "The stream ticket is not valid (unknown, used or expired)."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, info.Id), .. CallerIdentity.Claims(info.Id, info.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    internal static string? PresentedKey(HttpContext context)
    {
        var header = context.Request.Headers[HeaderName].ToString();
        if (!string.IsNullOrWhiteSpace(header)) return header.Trim();
        var authorization = context.Request.Headers[HeaderNames.Authorization].ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        if (context.WebSockets.IsWebSocketRequest && context.Request.Query.TryGetValue("api_key", out var query) && !string.IsNullOrWhiteSpace(query))
            return query.ToString();
        return null;
    }

    private static string? Ticket(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest && context.Request.Query.TryGetValue("ticket", out var ticket) && !string.IsNullOrWhiteSpace(ticket) ? ticket.ToString() : null;

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var detail = PresentedKey(Context) is not null ? "The API key is not valid."
            : Ticket(Context) is not null ? "The stream ticket is not valid (unknown, used or expired); get another from POST /api/streams/ticket."
            : $"This endpoint needs an API key in the {HeaderName} header.";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.Role() is { } r ? Codes.Of(r) : "none";
        return Problems.Write(Context, StatusCodes.Status403Forbidden, "Forbidden",
            $"Key '{Context.User.KeyId()}' has role {role}, which may not do this.");
    }
}
