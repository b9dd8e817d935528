using Phoenyra.Web.Components;
using Microsoft.AspNetCore.DataProtection;
using Phoenyra.Core.Metrics;
using Phoenyra.Ops.Auth;
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
        // Circuit, session and antiforgery keys live beside the store, so a restart keeps open pages
        // valid: in a folder only the desk's user may read, encrypted with a certificate when one is given.
        var dataDir = builder.Configuration.GetValue<string>("Phoenyra:DataDir") ?? "./data";
        var keyFolder = Path.Combine(Path.GetFullPath(dataDir), "keys");
        OwnerOnly(keyFolder);
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName("Phoenyra")
            .PersistKeysToFileSystem(new DirectoryInfo(keyFolder))
            .PersistKeysToStoreOnPostgres(); // one key ring for the desks of a cluster: a sign-in survives a takeover
        if (builder.Configuration["Phoenyra:DataProtection:CertificatePath"] is { Length: > 0 } certificate)
            protection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificate, builder.Configuration["Phoenyra:DataProtection:CertificatePassword"]));
        // Run from bin/ outside Development, library assets (_content/Radzen.Blazor) still live in the
        // NuGet cache; the runtime manifest maps them. A published folder carries them itself.
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, $"{builder.Environment.ApplicationName}.staticwebassets.runtime.json")))
            builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    // A data folder that cannot be written is reported by the settings check; here it is left alone.
    private static void OwnerOnly(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        try
        {
            Directory.CreateDirectory(folder, ownerOnly);
            File.SetUnixFileMode(folder, ownerOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        // The circuit (negotiate and its WebSocket) is the signed-in trader's session: a page on another site may not open it.
        var allowed = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DashboardOptions>>().Value.AllowedOrigins;
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/_blazor"), branch => branch.Use(async (context, next) =>
        {
            if (Core.Http.BrowserOrigin.IsAllowed(context, allowed)) await next(context);
            else await Core.Http.Problems.Write(context, StatusCodes.Status403Forbidden, "Origin not allowed",
                $"Pages from '{context.Request.Headers.Origin}' may not open the dashboard; add the origin to Phoenyra:Dashboard:AllowedOrigins.");
        }));
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
