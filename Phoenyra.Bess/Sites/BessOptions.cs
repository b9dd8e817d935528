using Phoenyra.Core.Settings;

namespace Phoenyra.Bess.Sites;

/// <summary>Section <c>Phoenyra:Bess</c>: battery sites and telemetry intake rules.</summary>
public sealed class BessOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Bess";

    public List<SiteOptions> Sites { get; set; } = [];

    /// <summary>Power readings may exceed the site's rating by this share before they are refused.</summary>
    public double PowerTolerance { get; set; } = 0.1;

    /// <summary>Readings stamped further in the future than this are refused (clock trouble on the device).</summary>
    public int MaxFutureSeconds { get; set; } = 300;

    /// <summary>A site with no reading for this long shows as offline.</summary>
    public int OfflineAfterSeconds { get; set; } = 60;

    public int HistoryRetentionDays { get; set; } = 30;

    /// <summary>Price CSVs the optimiser panel offers; empty = <c>shared/data/prices</c> found above the working directory.</summary>
    public string? PriceFolder { get; set; }

    public SiteOptions DefaultSite => Sites[0];

    public SiteOptions? Site(string? id) => id is null ? DefaultSite : Sites.FirstOrDefault(s => s.Id == id);

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (Sites.Count == 0) yield return new SettingsError($"{section}:Sites", "lists no battery site; configure at least one (see appsettings.json)");
        for (var i = 0; i < Sites.Count; i++)
            foreach (var error in Sites[i].Validate($"{section}:Sites:{i}")) yield return error;
        if (Sites.Select(s => s.Id).Distinct().Count() != Sites.Count) yield return new SettingsError($"{section}:Sites", "site ids must be unique");
        if (PowerTolerance is < 0 or > 1) yield return new SettingsError($"{section}:PowerTolerance", $"is {PowerTolerance}; use 0..1 (0.1 = 10 %)");
        if (MaxFutureSeconds is < 0 or > 86_400) yield return new SettingsError($"{section}:MaxFutureSeconds", $"is {MaxFutureSeconds}; use 0..86400");
        if (OfflineAfterSeconds < 1) yield return new SettingsError($"{section}:OfflineAfterSeconds", "must be at least 1");
        if (HistoryRetentionDays < 1) yield return new SettingsError($"{section}:HistoryRetentionDays", "must be at least 1");
    }
}

/// <summary>One battery: rating, capacity, efficiencies and the usable SoC window (defaults: seed 000's 5 MW / 10 MWh class, so its example reading of 3.8 MW is valid).</summary>
public sealed class SiteOptions
{
    public string Id { get; set; } = "";
    public double PowerMw { get; set; } = 5;
    public double CapacityMwh { get; set; } = 10;
    public double ChargeEfficiency { get; set; } = 0.9487;
    public double DischargeEfficiency { get; set; } = 0.9487;
    public double SocMinPercent { get; set; } = 5;
    public double SocMaxPercent { get; set; } = 95;

    /// <summary>
    /// The markets this battery delivers into: its guards (SoC, temperature, stale telemetry) act on
    /// these only. Empty: the envelope's markets (<c>Phoenyra:Bess:Envelope:Markets</c>, the desk's DE intraday markets).
    /// </summary>
    public List<string> Markets { get; set; } = [];

    /// <summary>Device keys (by id) that may post this site's telemetry, besides a device key named after the site.</summary>
    public List<string> DeviceKeys { get; set; } = [];

    /// <summary>Whether a device key may post readings for this site: it is named after the site, or listed.</summary>
    public bool AcceptsDevice(string keyId) => keyId == Id || DeviceKeys.Contains(keyId, StringComparer.Ordinal);

    // Site and market ids travel in signed stream messages and metric labels: plain ASCII, short.
    private static bool IsId(string id) => System.Text.RegularExpressions.Regex.IsMatch(id, "^[A-Za-z0-9_-]{1,32}$");

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (!IsId(Id)) yield return new SettingsError($"{prefix}:Id", $"'{Id}' is not a site id; use 1-32 ASCII letters, digits, '-' or '_'");
        if (!(PowerMw > 0)) yield return new SettingsError($"{prefix}:PowerMw", "must be positive");
        if (!(CapacityMwh > 0)) yield return new SettingsError($"{prefix}:CapacityMwh", "must be positive");
        if (!(ChargeEfficiency is > 0 and <= 1)) yield return new SettingsError($"{prefix}:ChargeEfficiency", "must be in (0, 1]");
        if (!(DischargeEfficiency is > 0 and <= 1)) yield return new SettingsError($"{prefix}:DischargeEfficiency", "must be in (0, 1]");
        foreach (var market in Markets)
            if (!IsId(market)) yield return new SettingsError($"{prefix}:Markets", $"'{market}' is not a market id");
        if (!(SocMinPercent >= 0 && SocMinPercent < SocMaxPercent && SocMaxPercent <= 100)) yield return new SettingsError($"{prefix}:SocMinPercent", "need 0 ≤ SocMinPercent < SocMaxPercent ≤ 100");
    }
}
