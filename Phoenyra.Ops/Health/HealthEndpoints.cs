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

        endpoints.MapGet("/healthz", (IStore store, IHostApplicationLifetime lifetime) =>
        {
            var serving = lifetime.ApplicationStarted.IsCancellationRequested && !lifetime.ApplicationStopping.IsCancellationRequested;
            var ready = serving && store.IsReady;
            return Results.Json(new { status = ready ? "ready" : "starting", store = store.IsReady },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        }).AllowAnonymous().WithTags("Ops");
    }
}
