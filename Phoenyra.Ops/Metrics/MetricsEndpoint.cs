using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Metrics;
using Phoenyra.Ops.Auth;

namespace Phoenyra.Ops.Metrics;

internal static class MetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/metrics", (PrometheusExporter exporter) =>
            Results.Text(exporter.Scrape(), PrometheusExporter.ContentType))
            .RequireAuthorization(RolePolicies.Metrics)
            .WithTags("Ops");
    }
}
