using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Phoenyra.Core.Cluster;

/// <summary>
/// On a cluster's standby, every request but health, metrics and the stream key set is answered 503
/// <c>not_leader</c> with where the leader is: a client (or HAProxy, by <c>/healthz/leader</c>) goes there.
/// </summary>
public static class LeaderOnlyRequests
{
    private static readonly string[] Served = ["/healthz", "/metrics", "/.well-known/jwks.json"];

    public static IApplicationBuilder UseLeaderOnlyRequests(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var leadership = context.RequestServices.GetRequiredService<ILeadership>();
        if (leadership.IsLeader || Served.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            await next(context);
            return;
        }
        await NotLeader(context, leadership, "This desk stands by; send requests to the leader.").ExecuteAsync(context);
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
