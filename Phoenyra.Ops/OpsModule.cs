using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Settings;
using Phoenyra.Core.Storage;
using Phoenyra.Ops.Auth;
using Phoenyra.Ops.Health;
using Phoenyra.Ops.Http;
using Phoenyra.Ops.Metrics;

namespace Phoenyra.Ops;

public static class OpsModule
{
    /// <summary>API keys and roles, rate limits, audit log, problem details, health and metrics endpoints.</summary>
    public static TBuilder AddOpsModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedSettings<AuthOptions>(builder.Configuration, AuthOptions.Section);
        services.AddValidatedSettings<HttpOptions>(builder.Configuration, HttpOptions.Section);
        services.AddValidatedSettings<CompatOptions>(builder.Configuration, CompatOptions.Section);
        services.AddValidatedSettings<Alerts.AlertOptions>(builder.Configuration, Alerts.AlertOptions.Section);
        Core.Http.ExtraListeners.Add(builder, $"{CompatOptions.Section}:Urls");
        services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>().Configure<IOptions<HttpOptions>>((options, http) =>
        {
            options.MaxAge = TimeSpan.FromDays(http.Value.HstsDays);
            options.ExcludedHosts.Clear(); // a desk reached by address gets HSTS too; Development never sends it
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HttpOptions>>((options, http) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var proxy in http.Value.TrustedProxies) options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        });
        services.AddOptions<AuthOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            foreach (var variable in KeyBootstrap.EnvironmentVariables.Keys)
                if (configuration[variable] is { Length: > 0 } value) options.EnvironmentKeys[variable] = value;
        });
        services.AddMigration(ApiKeyRegistry.Schema);
        services.AddMigration(ApiKeyRegistry.CancelOrdersSchema);
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<FailedAuthGuard>();
        services.AddSingleton<StreamTickets>();
        services.AddSingleton<Alerts.AlertInbox>();
        services.AddMigration(SessionBook.Schema);
        services.AddMigration(StoreKeyRing.Schema);
        services.AddSingleton<SessionBook>();
        services.AddSingleton<IValidateOptions<AuthOptions>, ReservedKeyIdCheck>();
        services.AddHostedService<KeyBootstrap>();
        services.AddHostedService<KeyStoreWatcher>();
        services.AddSingleton(sp => new OpsDesk(sp.GetRequiredService<IStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SessionBook>(),
            sp.GetRequiredService<ApiKeyRegistry>(), sp.GetRequiredService<Core.Security.ReservedAccounts>(), sp.GetRequiredService<Core.Audit.IAuditLog>(), sp.GetRequiredService<Alerts.AlertInbox>()));

        var authentication = services.AddAuthentication(DashboardSession.KeyOrSession)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        DashboardSession.AddSchemes(authentication);
        services.AddAuthorization(RolePolicies.Add);
        services.AddSingleton<AccessLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessLog>());
        services.AddMetricSet<HttpMetrics>();
        KeyRateLimiting.AddServices(services);
        ProblemDetailsSetup.AddServices(services);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>
    /// First in the pipeline: the client's address and scheme as a trusted reverse proxy saw them,
    /// security headers on every answer, and HSTS over HTTPS (not in Development). With no trusted
    /// proxy configured the forwarded headers are not read at all: ASP.NET's middleware with empty
    /// proxy and network lists would believe anyone's <c>X-Forwarded-For</c>.
    /// </summary>
    public static WebApplication UseOpsFront(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.TrustedProxies.Count > 0) app.UseForwardedHeaders();
        app.Use(SecurityHeaders.Add);
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        return app;
    }

    /// <summary>The HTTP pipeline's ops stages, in order: metrics, errors, body limit, failed-auth limit, auth, rate limits.</summary>
    public static WebApplication UseOps(this WebApplication app)
    {
        app.Use(app.Services.GetRequiredService<HttpMetrics>().Measure);
        ProblemDetailsSetup.Use(app);
        app.UseLeaderOnlyRequests();
        app.Use(BodySizeLimit.Enforce);
        app.Use(app.Services.GetRequiredService<FailedAuthGuard>().Enforce);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapOpsEndpoints(this WebApplication app)
    {
        HealthEndpoints.Map(app);
        MetricsEndpoint.Map(app);
        AdminEndpoints.Map(app);
        Alerts.AlertWebhook.Map(app);
        DashboardSession.Map(app);
        StreamTickets.Map(app);
        return app;
    }
}
