using Microsoft.Extensions.Options;

namespace Phoenyra.Web;

/// <summary>Where the host finds its files, and how it reports a configuration it cannot start with.</summary>
internal static class HostSetup
{
    /// <summary>
    /// The content root is the folder of the binary (appsettings.json, policy.yaml and wwwroot
    /// travel with the build), so the desk starts the same from any working directory.
    /// </summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = GivesContentRoot(args) ? null : AppContext.BaseDirectory,
    };

    private static bool GivesContentRoot(string[] args) =>
        args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"));

    /// <summary>Runs the host; a settings error prints each bad key with its fix and exits with code 2.</summary>
    public static async Task<int> Run(WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync(Describe(ex));
            return 2;
        }
    }

    public static string Describe(OptionsValidationException ex) =>
        "Phoenyra cannot start: the configuration is invalid." + Environment.NewLine
        + string.Join(Environment.NewLine, ex.Failures.Select(f => "  - " + f));
}
