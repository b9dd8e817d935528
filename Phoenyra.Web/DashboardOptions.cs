using Phoenyra.Core.Settings;

namespace Phoenyra.Web;

/// <summary>Section <c>Phoenyra:Dashboard</c>: what the trader's screen asks before it sends.</summary>
public sealed class DashboardOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Dashboard";

    /// <summary>The ticket asks for confirmation at or above this size (MW).</summary>
    public decimal ConfirmOrderAtMw { get; set; } = 10m;

    /// <summary>…or when the limit price is at least this far from the mark (EUR/MWh).</summary>
    public decimal ConfirmPriceDistanceEur { get; set; } = 10m;

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (ConfirmOrderAtMw <= 0) yield return new SettingsError($"{section}:ConfirmOrderAtMw", $"is {ConfirmOrderAtMw}; it must be positive");
        if (ConfirmPriceDistanceEur <= 0) yield return new SettingsError($"{section}:ConfirmPriceDistanceEur", $"is {ConfirmPriceDistanceEur}; it must be positive");
    }
}
