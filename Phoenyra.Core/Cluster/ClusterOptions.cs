using Phoenyra.Core.Settings;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core.Cluster;

/// <summary>
/// Two or more desks on one PostgreSQL store (<c>Phoenyra:Cluster</c>): one leads and trades, the others
/// stand by and take over when it dies. Off by default: one desk needs none of it.
/// </summary>
public sealed class ClusterOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Cluster";

    public bool Enabled { get; set; }

    /// <summary>This desk's name in the cluster (the leader's shows on a standby and in metrics); the machine's name when empty.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>Where clients reach this desk when it leads (a standby answers writes with the leader's).</summary>
    public string AdvertisedUrl { get; set; } = "";

    /// <summary>How often the leader re-checks its lock and connection, and a standby tries to take it.</summary>
    public int LeaseCheckMs { get; set; } = 500;

    /// <summary>A leader whose last good check is older than this stops acknowledging anything and steps down.</summary>
    public int LeaseMs { get; set; } = 2000;

    /// <summary>Whether a strategy that was running on the last leader starts again on the new one (a halted or stopped one never does).</summary>
    public bool ResumeStrategies { get; set; } = true;

    /// <summary>The store's provider (set from <see cref="StoreOptions"/>): a cluster needs PostgreSQL.</summary>
    internal StoreProvider Store { get; set; }

    public string Node => NodeId.Length > 0 ? NodeId : Environment.MachineName.ToLowerInvariant();

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (!Enabled) yield break;
        if (Store != StoreProvider.Postgres)
            yield return new SettingsError($"{section}:{nameof(Enabled)}", "needs the store on PostgreSQL (Phoenyra:Store:Provider postgres, or PHOENYRA_STORE): desks share the store they fence each other in");
        if (NodeId.Length > 64 || NodeId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            yield return new SettingsError($"{section}:{nameof(NodeId)}", "must be at most 64 of a-z, A-Z, 0-9, '-', '_', '.'");
        if (AdvertisedUrl.Length > 0 && !(Uri.TryCreate(AdvertisedUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            yield return new SettingsError($"{section}:{nameof(AdvertisedUrl)}", $"'{AdvertisedUrl}' is not an http(s) URL");
        if (LeaseCheckMs is < 50 or > 10_000)
            yield return new SettingsError($"{section}:{nameof(LeaseCheckMs)}", "must be between 50 and 10000");
        if (LeaseMs < 2 * LeaseCheckMs || LeaseMs > 60_000)
            yield return new SettingsError($"{section}:{nameof(LeaseMs)}", "must be at least twice LeaseCheckMs and at most 60000");
    }
}
