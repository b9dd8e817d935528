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
        // Circuit, session and antiforgery keys live beside the store, so a restart keeps open pages
        // valid: in a folder only the desk's user may read, encrypted with a certificate when one is given.
        var dataDir = builder.Configuration.GetValue<string>("Phoenyra:DataDir") ?? "./data";
        var keyFolder = Path.Combine(Path.GetFullPath(dataDir), "keys");
        OwnerOnly(keyFolder);
        var protection = builder.Services.AddDataProtection()
            .SetApplicationName("Phoenyra")
            .PersistKeysToFileSystem(new DirectoryInfo(keyFolder));
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
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
