using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Auth;

internal static class RolePolicies
{
    /// <summary>Viewer role, unless <see cref="AuthOptions.MetricsRequireKey"/> opens the scrape endpoint.</summary>
    public const string Metrics = "metrics";

    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in new[] { Role.Viewer, Role.Trader, Role.Admin })
            options.AddPolicy(Policies.For(role), policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasAtLeast(role)));

        foreach (var (name, role) in new[] { (Policies.SessionViewer, Role.Viewer), (Policies.SessionTrader, Role.Trader), (Policies.SessionAdmin, Role.Admin) })
            options.AddPolicy(name, policy => policy
                .AddAuthenticationSchemes(DashboardSession.Scheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.HasAtLeast(role)));

        options.AddPolicy(Policies.Telemetry, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.Role() == Role.Device || context.User.HasAtLeast(Role.Trader)));

        options.AddPolicy(Policies.Alerts, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.Role() == Role.Alertmanager || context.User.HasAtLeast(Role.Admin)));

        // Read per request, so the setting is validated with the others at start-up, not at mapping.
        options.AddPolicy(Metrics, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAssertion(context =>
                context.Resource is HttpContext http && !http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.MetricsRequireKey
                || context.User.HasAtLeast(Role.Viewer)));
    }
}
