using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Http;
using Phoenyra.Core.Security;
using Phoenyra.Streams.Hub;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Api;

/// <summary>
/// <c>/ws/market</c> and <c>/ws/orders</c> (viewer key in <c>api_key</c>; optional <c>since</c>,
/// <c>epoch</c> to resume and <c>alg=es256</c>), and the key discovery document.
/// </summary>
internal static class StreamEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/ws/market", (HttpContext context, StreamHub hub) => Serve(context, hub, hub.Market, StreamHub.MarketStream))
            .RequireAuthorization(Policies.Viewer).WithTags("Streams").WithSummary("Signed market stream: marks, EMA, VWAP, book top, trades");
        endpoints.Map("/ws/orders", (HttpContext context, StreamHub hub, ClaimsPrincipal user) =>
                Serve(context, hub, hub.Orders(user.KeyId()), StreamHub.OrdersStream))
            .RequireAuthorization(Policies.Viewer).WithTags("Streams").WithSummary("Signed stream of the caller's order updates and fills");
        endpoints.MapGet("/.well-known/jwks.json", (StreamSigner signer) => Results.Json(KeyDiscovery.Document(signer), contentType: "application/jwk-set+json"))
            .AllowAnonymous().WithTags("Streams").WithSummary("Public ES256 key (JWKS) and the HMAC key ids; never a secret");
    }

    private static async Task<IResult> Serve(HttpContext context, StreamHub hub, StreamChannel channel, string stream)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<StreamOptions>>().Value;
        if (!context.WebSockets.IsWebSocketRequest)
            return Results.Problem(statusCode: 400, title: "WebSocket required", detail: $"{context.Request.Path} is a WebSocket stream; connect with ws:// and api_key=KEY.");
        if (!BrowserOrigin.IsAllowed(context, options.AllowedOrigins))
            return Results.Problem(statusCode: 403, title: "Origin not allowed", detail: $"Origin '{context.Request.Headers.Origin}' may not open streams; add it to Phoenyra:Streams:AllowedOrigins.");
        var (request, errors) = StreamRequest.Parse(context.Request.Query);
        if (request is null) return Problems.Invalid(errors);

        var keyId = context.User.KeyId();
        if (hub.Admit(keyId) is { } refused)
            return Results.Problem(statusCode: refused.Status, title: "Too many stream connections", detail: refused.Reason);
        StreamConnection? connection = null;
        var metrics = context.RequestServices.GetRequiredService<StreamMetrics>();
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            connection = new StreamConnection(socket, stream, request.Algorithm, context.RequestServices.GetRequiredService<StreamSigner>(),
                metrics, context.RequestServices.GetRequiredService<TimeProvider>(), options.QueueLimit, keyId);
            hub.Track(connection);
            await Stream(context, hub, channel, connection, request);
        }
        finally
        {
            hub.Release(keyId, connection);
        }
        return Results.Empty;
    }

    private static async Task Stream(HttpContext context, StreamHub hub, StreamChannel channel, StreamConnection connection, StreamRequest request)
    {
        var stream = connection.Stream;
        var metrics = context.RequestServices.GetRequiredService<StreamMetrics>();
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        metrics.Connections.Add(1, new KeyValuePair<string, object?>("stream", stream));
        try
        {
            connection.Control(StreamPayloads.Hello(stream, hub.Epoch, channel.LastSeq, request.Algorithm.ToString()));
            channel.Attach(connection, request.Since, request.Epoch is null || request.Epoch == hub.Epoch);
            await connection.Run(stopping);
        }
        finally
        {
            channel.Detach(connection);
            metrics.Connections.Add(-1, new KeyValuePair<string, object?>("stream", stream));
        }
    }

}
