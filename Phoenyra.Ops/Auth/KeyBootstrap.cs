using Phoenyra.Core.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Auth;

/// <summary>
/// Loads keys from the store, configuration and the seed's environment variables (<c>API_KEY</c>
/// for a trader, <c>ADMIN_KEY</c> for an admin). On a first start with no key anywhere, creates a
/// demo set and prints it once to the console (never to the log files).
/// </summary>
internal sealed class KeyBootstrap(
    ApiKeyRegistry registry,
    IOptions<AuthOptions> options,
    IHostEnvironment environment,
    ILogger<KeyBootstrap> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        registry.LoadFromStore();
        foreach (var key in options.Value.Keys)
        {
            var digest = key.Sha256 ?? ApiKeyHash.HexDigest(key.Key!);
            registry.AddDigest(digest, new ApiKeyInfo(key.Id, Enum.Parse<Role>(key.Role, true), "config", null));
        }
        foreach (var (variable, value) in options.Value.EnvironmentKeys)
        {
            var (id, role) = EnvironmentVariables[variable];
            registry.AddDigest(ApiKeyHash.HexDigest(value), new ApiKeyInfo(id, role, "env", null));
        }

        // Demo keys are for a developer's machine only: outside Development the setting is ignored.
        var demo = environment.IsDevelopment() && (options.Value.DemoKeys ?? true);
        if (options.Value.DemoKeys == true && !environment.IsDevelopment())
            logger.LogWarning("Phoenyra:Auth:DemoKeys is ignored outside Development: create keys with 'keys create'");
        if (registry.Count == 0 && registry.StoredKeyCount() == 0)
        {
            if (demo) CreateDemoKeys();
            else
            {
                Console.Out.WriteLine("No API keys exist yet. Create the first one with: Phoenyra.Web keys create --id ops --role admin");
                logger.LogWarning("No API keys: nobody can sign in until one is created (keys create), configured (Phoenyra:Auth:Keys) or given (API_KEY/ADMIN_KEY)");
            }
        }
        logger.LogInformation("API keys loaded: {Count} ({Ids})", registry.Count, string.Join(", ", registry.List().Select(k => $"{k.Id}:{k.Role}")));
        return Task.CompletedTask;
    }

    /// <summary>The seed's key variables, with the id and role each key gets.</summary>
    public static readonly IReadOnlyDictionary<string, (string Id, Role Role)> EnvironmentVariables = new Dictionary<string, (string, Role)>
    {
        ["API_KEY"] = ("env-trader", Role.Trader),
        ["ADMIN_KEY"] = ("env-admin", Role.Admin),
    };

    private void CreateDemoKeys()
    {
        var created = new[] { Role.Viewer, Role.Trader, Role.Admin }
            .Select(role => registry.Create($"demo-{Codes.Of(role)}", role))
            .ToList();
        var lines = created.Select(c => $"  {c.Info.Role,-7} {c.Secret}");
        Console.Out.WriteLine($"""

            ================ Phoenyra demo API keys (shown once) ================
            {string.Join(Environment.NewLine, lines)}
              Sign in to the dashboard with one, or send it as header X-API-Key.
              Only their SHA-256 digests are stored; to get
              new ones run: dotnet run --project Phoenyra.Web -- keys create --id NAME --role admin
            =====================================================================

            """);
        logger.LogInformation("Created demo API keys {Ids}; the secrets were printed to the console once", string.Join(", ", created.Select(c => c.Info.Id)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
