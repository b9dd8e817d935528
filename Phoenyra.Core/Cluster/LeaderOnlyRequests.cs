using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Phoenyra.Core.Cluster;

/// <summary>
/// A cluster's standby serves reads from the engines that follow the leader's journal — every GET (REST,
/// dashboards, the streams, health, metrics) and the dashboard's own session and circuit — and answers every
/// other request (orders, cancels, control actions, telemetry, key changes) 503 <c>not_leader</c> with where the
/// leader is: a client (or HAProxy, by <c>/healthz/leader</c>) goes there.
/// </summary>
public static class LeaderOnlyRequests
{
    /// <summary>Not reads, yet no trading state either: signing in and out, and the dashboard's circuit.</summary>
    private static readonly string[] Served = ["/auth/login", "/auth/logout", "/_blazor"];

    public static IApplicationBuilder UseLeaderOnlyRequests(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var leadership = context.RequestServices.GetRequiredService<ILeadership>();
        var request = context.Request;
        if (leadership.IsLeader || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || Served.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        await NotLeader(context, leadership, "This desk stands by and serves reads only; send orders and control actions to the leader.").ExecuteAsync(context);
    });

    /// <summary>503 <c>not_leader</c>, naming the leader and its advertised URL when one is known.</summary>
    public static IResult NotLeader(HttpContext context, ILeadership leadership, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        var leader = leadership.Leader is { } l && l.Node != leadership.NodeId ? l : null;
        return Results.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not the leader", type: "not_leader",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "not_leader",
                ["node"] = leadership.NodeId,
                ["leader"] = leader?.Node,
                ["leader_url"] = leader is { Url.Length: > 0 } ? leader.Url : null,
            });
    }
}
