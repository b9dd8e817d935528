using Phoenyra.Core.Settings;

namespace Phoenyra.Bess.Imbalance;

/// <summary>Section <c>Phoenyra:Bess:Imbalance</c>: the imbalance price file, and the market whose price stands in where it has none.</summary>
public sealed class ImbalanceOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Bess:Imbalance";

    /// <summary>A reBAP CSV (the shape of ../shared/data/prices/DE_reBAP_15min_2025-12_TransnetBW.csv: timestamp_utc, rebap_pos_eur_mwh, rebap_neg_eur_mwh).</summary>
    public string? PriceCsv { get; set; }

    /// <summary>The market whose reference price prices a period the file does not cover (marked "proxy").</summary>
    public string ProxyMarket { get; set; } = "DE-ID-15";

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (SettingsError.MissingFile($"{section}:PriceCsv", PriceCsv) is { } missing) yield return missing;
    }
}
