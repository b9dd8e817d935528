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
