using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Security;
using Phoenyra.Ops.Auth;

namespace Phoenyra.Ops.Metrics;

internal static class MetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var route = endpoints.MapGet("/metrics", (PrometheusExporter exporter) =>
            Results.Text(exporter.Scrape(), PrometheusExporter.ContentType)).WithTags("Ops");
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.MetricsRequireKey)
            route.RequireAuthorization(Policies.Viewer);
        else
            route.AllowAnonymous();
    }
}
