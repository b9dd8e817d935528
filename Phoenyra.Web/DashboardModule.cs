using Phoenyra.Web.Components;
using Microsoft.AspNetCore.DataProtection;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Settings;
using Phoenyra.Web.Components.Shared;
using Radzen;

namespace Phoenyra.Web;

internal static class DashboardModule
{
    /// <summary>The Blazor Server dashboard: interactive server components and Radzen.</summary>
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddValidatedSettings<DashboardOptions>(builder.Configuration, DashboardOptions.Section);
        builder.Services.AddMetricSet<DashboardMetrics>();
        builder.Services.AddSingleton<LiveFeeds>();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, Components.Account.SessionRevalidation>();
        builder.Services.AddHttpContextAccessor();
        // Circuit and antiforgery keys live beside the store, so a restart keeps open pages valid.
        var dataDir = builder.Configuration.GetValue<string>("Phoenyra:DataDir") ?? "./data";
        builder.Services.AddDataProtection()
            .SetApplicationName("Phoenyra")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(dataDir), "keys")));
        // Run from bin/ outside Development, library assets (_content/Radzen.Blazor) still live in the
        // NuGet cache; the runtime manifest maps them. A published folder carries them itself.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, $"{builder.Environment.ApplicationName}.staticwebassets.runtime.json")))
            builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
