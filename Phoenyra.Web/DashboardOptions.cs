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

    /// <summary>Other origins (e.g. https://desk.example.com behind a proxy that rewrites Host) whose pages may open the dashboard's circuit; the desk's own origin always may.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public IEnumerable<SettingsError> Validate(string section)
    {
        foreach (var origin in AllowedOrigins.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out var u) || u.AbsolutePath != "/"))
            yield return new SettingsError($"{section}:AllowedOrigins", $"'{origin}' is not an origin like https://desk.example.com");
        if (ConfirmOrderAtMw <= 0) yield return new SettingsError($"{section}:ConfirmOrderAtMw", $"is {ConfirmOrderAtMw}; it must be positive");
        if (ConfirmPriceDistanceEur <= 0) yield return new SettingsError($"{section}:ConfirmPriceDistanceEur", $"is {ConfirmPriceDistanceEur}; it must be positive");
    }
}
