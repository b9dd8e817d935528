using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Health;
using Phoenyra.Core.Storage;

namespace Phoenyra.Ops.Health;

/// <summary><c>/health</c> answers while the process lives; <c>/healthz</c> only once it can serve (store migrated, host started).</summary>
internal static class HealthEndpoints
{
    /// <summary>A check gets 3 s; a slow dependency is a failing one.</summary>
    private static async Task<(bool Ok, string Detail)> Timed(IReadinessCheck check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            return await check.Check(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return (false, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

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
        endpoints.MapGet("/healthz", async (IStore store, IHostApplicationLifetime lifetime, CancellationToken ct) =>
        {
            var serving = lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested;
            var checks = new Dictionary<string, object> { ["store"] = new { enabled = true, ok = store.IsReady, detail = store.IsReady ? "migrated" : "migrating" } };
            var failing = false;
            foreach (var check in readiness)
            {
                var (ok, detail) = check.Enabled ? await Timed(check, ct) : (true, "not enabled");
                failing |= check.Enabled && !ok;
                checks[check.Name] = new { enabled = check.Enabled, ok, detail };
            }
            var ready = serving && store.IsReady && !failing;
            return Results.Json(new { status = ready ? "ready" : serving && store.IsReady ? "degraded" : "starting", store = store.IsReady, checks },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("Ops");
    }
}
