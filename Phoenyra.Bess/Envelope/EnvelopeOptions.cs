using Phoenyra.Core.Settings;

namespace Phoenyra.Bess.Envelope;

/// <summary>Section <c>Phoenyra:Bess:Envelope</c>: which markets and accounts move the desk's battery, and how far ahead the envelope looks.</summary>
public sealed class EnvelopeOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Bess:Envelope";

    public bool Enabled { get; set; } = true;

    /// <summary>Markets whose positions the battery delivers (appsettings.json: DE-ID-15, DE-ID-60).</summary>
    public List<string> Markets { get; set; } = [];

    /// <summary>
    /// Accounts whose orders move the battery; "*" is every account that is not one of the desk's own
    /// (market maker, strategies). appsettings.json: "*" and the auto-trader.
    /// </summary>
    public List<string> Accounts { get; set; } = [];

    public double HorizonHours { get; set; } = 24;

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (HorizonHours is < 1 or > 168) yield return new SettingsError($"{section}:HorizonHours", $"is {HorizonHours}; use 1..168");
        if (Enabled && Markets.Count == 0) yield return new SettingsError($"{section}:Markets", "lists no market; name the markets the battery delivers, or set Enabled to false");
    }
}
