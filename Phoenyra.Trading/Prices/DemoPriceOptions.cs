using Phoenyra.Core.Settings;

namespace Phoenyra.Trading.Prices;

/// <summary>The built-in price generator for every configured market, section <c>Phoenyra:Trading:DemoPrices</c>.</summary>
public sealed class DemoPriceOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Trading:DemoPrices";

    public bool Enabled { get; set; } = true;
    public int IntervalMs { get; set; } = 1000;

    /// <summary>Noise seed; the same seed and start time give the same path.</summary>
    public int Seed { get; set; } = 20251201;

    /// <summary>Ticks kept per market for views that join late (the dashboard's first paint).</summary>
    public int HistorySize { get; set; } = 600;

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (IntervalMs is < 50 or > 60_000)
            yield return new SettingsError($"{section}:IntervalMs", $"is {IntervalMs}; use 50..60000 milliseconds");
        if (HistorySize is < 10 or > 100_000)
            yield return new SettingsError($"{section}:HistorySize", $"is {HistorySize}; use 10..100000 ticks");
    }
}
