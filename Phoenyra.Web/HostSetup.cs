using Microsoft.Extensions.Options;

namespace Phoenyra.Web;

/// <summary>Where the host finds its files, and how it reports a configuration it cannot start with.</summary>
internal static class HostSetup
{
    /// <summary>
    /// The content root is the folder of the binary (appsettings.json, policy.yaml and wwwroot
    /// travel with the build), so the desk starts the same from any working directory.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        // The flash-arb templates are copied to .env in the folder the desk is started from (the environment wins).
        Phoenyra.Core.Settings.DotEnvFile.LoadIfPresent(Path.Combine(Environment.CurrentDirectory, ".env"));
        return new()
        {
            Args = args,
            ContentRootPath = GivesContentRoot(args) ? null : AppContext.BaseDirectory,
        };
    }

    private static bool GivesContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));

    /// <summary>
    /// Checks every module's settings before anything uses them; on failure prints each bad key
    /// with its fix to stderr and returns false (the caller exits with code 2).
    /// </summary>
    public static bool SettingsAreValid(WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return true;
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            Console.Error.WriteLine(Describe(ex));
            return false;
        }
    }

    /// <summary>
    /// Whether every address the desk will listen on is free; if one is taken, one line on stderr
    /// naming it and what to do (instead of the host's stack trace), and false (the caller exits 3).
    /// </summary>
    public static bool AddressesAreFree(WebApplication app)
    {
        // Only addresses someone configured (Kestrel endpoints, else ASPNETCORE_URLS, --urls, launch settings); in-memory test hosts have none.
        var endpoints = app.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToList();
        var urls = endpoints.Count > 0 ? string.Join(';', endpoints) : app.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrEmpty(urls)) return true;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) || uri.Port == 0) continue;
            var address = uri.Host is "localhost" ? System.Net.IPAddress.Loopback
                : System.Net.IPAddress.TryParse(uri.Host, out var ip) ? ip : System.Net.IPAddress.Any;
            try
            {
                var probe = new System.Net.Sockets.TcpListener(address, uri.Port);
                probe.Start();
                probe.Stop();
            }
            catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
            {
                Console.Error.WriteLine($"Phoenyra cannot start: {url} is already in use by another program. Stop it, or give the desk another address with ASPNETCORE_URLS (e.g. http://localhost:5090) or Kestrel__Endpoints__NAME__Url.");
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Runs the desk until it stops. A background service that fails stops the host (the default
    /// <see cref="BackgroundServiceExceptionBehavior.StopHost"/>); then the exit code is 70
    /// (EX_SOFTWARE) and stderr names the service, so systemd or the container runtime restarts the
    /// desk instead of taking a clean stop for a wanted one. A start that fails (the host has logged
    /// why) exits 70 too, with one line instead of an unhandled-exception abort. A requested stop exits 0.
    /// </summary>
    public static async Task<int> Run(WebApplication app)
    {
        var services = app.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToList(); // the host is disposed once it stops
        var leadership = app.Services.GetRequiredService<Phoenyra.Core.Cluster.ILeadership>();
        Exception? startFailure = null;
        try
        {
            await app.RunAsync();
        }
        catch (Exception ex)
        {
            startFailure = ex;
        }
        var failed = services.Where(s => s.ExecuteTask is { IsFaulted: true }).ToList();
        foreach (var service in failed)
            Console.Error.WriteLine($"Phoenyra stopped because {service.GetType().Name} failed: {service.ExecuteTask!.Exception!.GetBaseException().Message}");
        if (failed.Count == 0 && startFailure is not null)
            Console.Error.WriteLine($"Phoenyra could not start: {startFailure.GetBaseException().Message}");
        // A cluster leader that stepped down exits 75 (EX_TEMPFAIL): its supervisor starts it again, as a standby.
        if (leadership.SteppedDown) return 75;
        return failed.Count == 0 && startFailure is null ? 0 : 70;
    }

    public static string Describe(Exception ex)
    {
        var failures = ex switch
        {
            AggregateException all => all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures),
            OptionsValidationException one => one.Failures,
            _ => [ex.Message],
        };
        return "Phoenyra cannot start: the configuration is invalid." + Environment.NewLine
            + string.Join(Environment.NewLine, failures.Select(f => "  - " + f));
    }
}
