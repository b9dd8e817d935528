using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Security.Claims;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Health;
using Phoenyra.Core.Security;
using Phoenyra.Core.Storage;

namespace Phoenyra.Ops.Health;

/// <summary>
/// <c>/health</c> answers while the process lives; <c>/healthz</c> says whether it can serve: <c>ok</c>
/// (200), <c>degraded</c> (serving, an enabled check failing; 503) or <c>down</c> (starting, stopping or
/// the store not migrated; 503). Anyone may ask; the checks' details (URLs, quotes, exception text)
/// go to a viewer key or better only. Venues and the chain are probed at most once per 5 s however
/// often anyone asks (<see cref="ProbeCache"/>). <c>/healthz/leader</c> is 200 on the leader only.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var time = endpoints.ServiceProvider.GetRequiredService<TimeProvider>();
        var started = time.GetUtcNow();
        var facts = endpoints.ServiceProvider.GetServices<IHealthFacts>().ToList();
        endpoints.MapGet("/health", () =>
        {
            var body = new Dictionary<string, object?>
            {
                ["status"] = "healthy",
                ["uptime"] = Math.Round((time.GetUtcNow() - started).TotalSeconds, 3),
                ["started_utc"] = started,
            };
            foreach (var (key, value) in facts.SelectMany(f => f.Facts())) body[key] = value;
            return Results.Json(body);
        }).AllowAnonymous().WithTags("Ops");

        var readiness = endpoints.ServiceProvider.GetServices<IReadinessCheck>().ToList();
        var probes = new ProbeCache(time);
        endpoints.MapGet("/healthz", async (IStore store, IHostApplicationLifetime lifetime, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var serving = lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested;
            var checks = new Dictionary<string, object> { ["store"] = new { enabled = true, ok = store.IsReady, detail = store.IsReady ? "migrated" : "migrating" } };
            var failing = false;
            foreach (var check in readiness)
            {
                var (ok, detail) = check.Enabled ? await probes.Answer(check, ct) : (true, "not enabled");
                failing |= check.Enabled && !ok;
                checks[check.Name] = new { enabled = check.Enabled, ok, detail };
            }
            var status = !serving || !store.IsReady ? "down" : failing ? "degraded" : "ok";
            var code = status == "ok" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            return user.Identity?.IsAuthenticated == true && user.Role() >= Role.Viewer
                ? Results.Json(new { status, store = store.IsReady, checks }, statusCode: code)
                : Results.Json(new { status }, statusCode: code);
        }).AllowAnonymous().WithTags("Ops");

        // For HAProxy, nginx or Kubernetes: send traffic to the one desk that answers 200.
        endpoints.MapGet("/healthz/leader", (ILeadership leadership) =>
        {
            var leader = leadership.Leader;
            return leadership.IsLeader
                ? Results.Json(new { role = "leader", node = leadership.NodeId, term = leadership.Term })
                : Results.Json(new { role = leadership.SteppedDown ? "stepped_down" : "standby", node = leadership.NodeId, leader = leader?.Node, leader_url = leader?.Url, term = leader?.Term ?? 0 },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("Ops").WithSummary("200 on the cluster's leader (and on a desk without a cluster), 503 on a standby");
    }
}
