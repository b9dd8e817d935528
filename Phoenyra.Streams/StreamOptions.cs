using System.Text.RegularExpressions;
using Phoenyra.Core.Settings;

namespace Phoenyra.Streams;

/// <summary>Signed WebSocket streams, section <c>Phoenyra:Streams</c>.</summary>
public sealed partial class StreamOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Streams";

    /// <summary>Seed 000's demo secret, which its Python and Node verifiers use: signs in Development when no secret is set.</summary>
    public const string DemoSecret = "phoenyra_demo_secret";

    /// <summary>HMAC secrets by key id; several may be active while clients rotate. <c>HMAC_SECRET</c> adds one too.</summary>
    public Dictionary<string, string> HmacKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key id that signs; defaults to <c>HMAC_SECRET</c>'s key, else the only configured key.</summary>
    public string? CurrentKid { get; set; }

    /// <summary>Browser origins allowed to open a stream besides the desk's own; empty means same-origin only.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Messages a connection may have waiting; one more and the slow client is dropped.</summary>
    public int QueueLimit { get; set; } = 1024;

    /// <summary>Recent events kept per stream so a reconnecting client can resume with <c>since</c>.</summary>
    public int RetainEvents { get; set; } = 4096;

    /// <summary>Events re-sent to one resuming client at most (the newest); a gap message covers the rest.</summary>
    public int ReplayLimit { get; set; } = 1024;

    /// <summary>Open stream connections per API key; one more is refused with 429.</summary>
    public int MaxConnectionsPerKey { get; set; } = 16;

    /// <summary>Open stream connections in total; one more is refused with 503.</summary>
    public int MaxConnections { get; set; } = 1000;

    public IEnumerable<SettingsError> Validate(string section)
    {
        foreach (var (kid, secret) in HmacKeys)
        {
            if (!KidPattern().IsMatch(kid))
                yield return new SettingsError($"{section}:HmacKeys:{kid}", "is not a key id; use 1-64 of A-Z, a-z, 0-9, '.', '_', '-'");
            if (string.IsNullOrEmpty(secret) || secret.Length < 16)
                yield return new SettingsError($"{section}:HmacKeys:{kid}", "secret is shorter than 16 characters");
        }
        if (CurrentKid is not null && !HmacKeys.ContainsKey(CurrentKid) && CurrentKid != EnvironmentKid)
            yield return new SettingsError($"{section}:CurrentKid", $"'{CurrentKid}' is not among HmacKeys ({string.Join(", ", HmacKeys.Keys)})");
        foreach (var origin in AllowedOrigins.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out var u) || u.AbsolutePath != "/"))
            yield return new SettingsError($"{section}:AllowedOrigins", $"'{origin}' is not an origin like https://desk.example.com");
        if (QueueLimit is < 16 or > 1_000_000)
            yield return new SettingsError($"{section}:QueueLimit", $"is {QueueLimit}; use 16..1000000");
        if (ReplayLimit is < 0 or > 1_000_000)
            yield return new SettingsError($"{section}:ReplayLimit", $"is {ReplayLimit}; use 0..1000000");
        if (MaxConnectionsPerKey is < 1 or > 100_000)
            yield return new SettingsError($"{section}:MaxConnectionsPerKey", $"is {MaxConnectionsPerKey}; use 1..100000");
        if (MaxConnections is < 1 or > 100_000)
            yield return new SettingsError($"{section}:MaxConnections", $"is {MaxConnections}; use 1..100000");
        if (RetainEvents is < 0 or > 1_000_000)
            yield return new SettingsError($"{section}:RetainEvents", $"is {RetainEvents}; use 0..1000000");
    }

    /// <summary>The key id of the secret from the <c>HMAC_SECRET</c> environment variable (override with <c>HMAC_KID</c>).</summary>
    public static string EnvironmentKid => Environment.GetEnvironmentVariable("HMAC_KID") is { Length: > 0 } kid ? kid : "env";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    internal static partial Regex KidPattern();
}
