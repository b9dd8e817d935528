using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Metrics;
using Phoenyra.Ops.Auth;

namespace Phoenyra.Ops.Metrics;

internal static class MetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // Created now, not at the first scrape: counters only count what happens while it listens.
        endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.MapGet("/metrics", (PrometheusExporter exporter) =>
            Results.Text(exporter.Scrape(), PrometheusExporter.ContentType))
            .RequireAuthorization(RolePolicies.Metrics)
            .WithTags("Ops");
    }
}
