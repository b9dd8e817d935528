using Phoenyra.Core.Security;
using Phoenyra.Core.Settings;

namespace Phoenyra.Ops.Auth;

/// <summary>API keys and request limits, section <c>Phoenyra:Auth</c>.</summary>
public sealed class AuthOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Auth";

    /// <summary>Keys given by configuration. Prefer <see cref="ConfiguredKey.Sha256"/>; a raw <see cref="ConfiguredKey.Key"/> is hashed at start.</summary>
    public List<ConfiguredKey> Keys { get; set; } = [];

    /// <summary>
    /// When no key exists anywhere, create a viewer/trader/admin set at first start and print it once.
    /// Unset: only in the Development environment (<c>dotnet run</c>); a published desk starts without.
    /// </summary>
    public bool? DemoKeys { get; set; }

    /// <summary>When false, <c>/metrics</c> is open (for a scraper on a trusted network).</summary>
    public bool MetricsRequireKey { get; set; } = true;

    public RateLimitOptions RateLimit { get; set; } = new();

    public FailedAuthOptions FailedAuth { get; set; } = new();

    /// <summary>A dashboard session ends this long after sign-in, however active (it also ends after 12 idle hours).</summary>
    public double SessionHours { get; set; } = 24;

    /// <summary>How often the desk re-reads the stored keys, so a key created or revoked elsewhere (the CLI) takes effect.</summary>
    public double KeyRefreshSeconds { get; set; } = 2;

    /// <summary>The seed's environment keys: <c>API_KEY</c> (trader) and <c>ADMIN_KEY</c> (admin); filled from the root of the configuration.</summary>
    internal Dictionary<string, string> EnvironmentKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>A key long enough that guessing it at any rate the desk allows is hopeless.</summary>
    public const int MinEnvironmentKeyLength = 32;

    public IEnumerable<SettingsError> Validate(string section)
    {
        for (var i = 0; i < Keys.Count; i++)
        {
            var key = Keys[i];
            var prefix = $"{section}:Keys:{i}";
            if (!KeyIds.IsValid(key.Id))
                yield return new SettingsError($"{prefix}:Id", $"'{key.Id}' is not a key id; use 1-64 of a-z, 0-9, '-', '_'");
            if (!Enum.TryParse<Role>(key.Role, ignoreCase: true, out _))
                yield return new SettingsError($"{prefix}:Role", $"'{key.Role}' is not a role; use viewer, trader, admin or device");
            var hasHash = !string.IsNullOrEmpty(key.Sha256);
            var hasKey = !string.IsNullOrEmpty(key.Key);
            if (hasHash == hasKey)
                yield return new SettingsError($"{prefix}:Sha256", "give exactly one of Sha256 (hex digest of the key) or Key");
            else if (hasHash && !ApiKeyHash.IsHexDigest(key.Sha256!))
                yield return new SettingsError($"{prefix}:Sha256", "must be 64 hex digits (sha256sum of the key)");
            else if (hasKey && key.Key!.Length < 16)
                yield return new SettingsError($"{prefix}:Key", "is shorter than 16 characters; generate one with `Phoenyra.Web keys create`");
        }
        foreach (var (variable, value) in EnvironmentKeys)
            if (value.Length < MinEnvironmentKeyLength)
                yield return new SettingsError(variable, $"is {value.Length} characters; it must be at least {MinEnvironmentKeyLength}",
                    $"set {variable} to a longer random key, e.g. the output of `openssl rand -base64 33`");
        if (RateLimit.PermitsPerSecond <= 0)
            yield return new SettingsError($"{section}:RateLimit:PermitsPerSecond", $"is {RateLimit.PermitsPerSecond}; it must be greater than 0");
        if (!double.IsFinite(KeyRefreshSeconds) || KeyRefreshSeconds is < 0.1 or > 3600)
            yield return new SettingsError($"{section}:KeyRefreshSeconds", $"is {KeyRefreshSeconds}; use 0.1..3600");
        if (!double.IsFinite(SessionHours) || SessionHours is < 0.01 or > 720)
            yield return new SettingsError($"{section}:SessionHours", $"is {SessionHours}; use 0.01..720");
        if (FailedAuth.PerMinute < 1)
            yield return new SettingsError($"{section}:FailedAuth:PerMinute", $"is {FailedAuth.PerMinute}; it must be at least 1");
        if (RateLimit.Burst < 1)
            yield return new SettingsError($"{section}:RateLimit:Burst", $"is {RateLimit.Burst}; it must be at least 1");
    }
}

public sealed class ConfiguredKey
{
    public string Id { get; set; } = "";
    public string Role { get; set; } = "viewer";
    public string? Sha256 { get; set; }
    public string? Key { get; set; }
}

/// <summary>Token bucket per API key: <see cref="Burst"/> requests at once, refilled at <see cref="PermitsPerSecond"/>.</summary>
public sealed class RateLimitOptions
{
    public int PermitsPerSecond { get; set; } = 50;
    public int Burst { get; set; } = 100;
}
