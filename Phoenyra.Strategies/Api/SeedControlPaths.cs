using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Phoenyra.Core.Http;

namespace Phoenyra.Strategies.Api;

/// <summary>
/// The seed's root control paths (<c>/status</c>, <c>/start</c>, <c>/stop</c>, <c>/flatten</c>,
/// <c>/set-throttle</c>, <c>/throttle</c>, <c>/ladders</c>, <c>/orders</c>) address the default hedge
/// grid: they are rewritten to <c>/api/strategies/{id}/…</c> before routing. <c>GET /orders</c> is
/// also the dashboard's Orders page, so it is the API only for an API call (a key header, or no
/// HTML in Accept). On the optional ops listener (<c>Phoenyra:Strategies:OpsUrls</c>) only these
/// paths, <c>/health</c> and <c>/metrics</c> are served, and <c>/orders</c> is always the API.
/// </summary>
internal static class SeedControlPaths
{
    /// <summary>The id the root paths use when no hedge grid is configured (answers 404 with the reason).</summary>
    public const string NoDefault = "_none";

    private static readonly HashSet<string> Paths = new(StringComparer.OrdinalIgnoreCase)
        { "/status", "/start", "/stop", "/flatten", "/set-throttle", "/throttle", "/ladders", "/orders" };

    public static void Use(WebApplication app, string? defaultGrid, IReadOnlyList<int> opsPorts)
    {
        var target = "/api/strategies/" + (defaultGrid ?? NoDefault);
        app.Use((context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            var opsListener = opsPorts.Count > 0 && opsPorts.Contains(context.Connection.LocalPort);
            if (Paths.Contains(path) && (opsListener || !path.Equals("/orders", StringComparison.OrdinalIgnoreCase) || IsApiCall(context.Request)))
                context.Request.Path = target + path.ToLowerInvariant();
            else if (opsListener && path is not ("/health" or "/metrics"))
                return Problems.Write(context, StatusCodes.Status404NotFound, "Not on this listener",
                    "This address serves the hedge grid's control paths (/status, /start, /stop, /flatten, /set-throttle, /throttle, /ladders, /orders), /health and /metrics.");
            return next(context);
        });
    }

    private static bool IsApiCall(HttpRequest request) =>
        request.Headers.ContainsKey("X-API-Key") || request.Headers.ContainsKey(HeaderNames.Authorization)
        || !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
