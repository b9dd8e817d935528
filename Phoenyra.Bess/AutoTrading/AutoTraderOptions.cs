using Phoenyra.Core.Settings;

namespace Phoenyra.Bess.AutoTrading;

/// <summary>Section <c>Phoenyra:Bess:AutoTrader</c>: the market and account the battery's plan trades on.</summary>
public sealed class AutoTraderOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Bess:AutoTrader";

    public string Market { get; set; } = "DE-ID-15";
    public string Account { get; set; } = "bess-autotrader";

    /// <summary>Product length of <see cref="Market"/>: one plan step.</summary>
    public double StepMinutes { get; set; } = 15;
    public double HorizonHours { get; set; } = 24;

    /// <summary>How far through the reference a limit price goes to find liquidity (EUR/MWh).</summary>
    public decimal LimitOffsetEur { get; set; } = 1.0m;
    public decimal LotMw { get; set; } = 0.1m;
    public int ReplanSeconds { get; set; } = 10;

    /// <summary>
    /// A day-ahead price CSV for <see cref="Market"/> (the shape of ../shared/data/prices:
    /// <c>timestamp_utc</c>, <c>price_eur_mwh</c>); its rows around today are the planner's first
    /// choice of forecast, ahead of the demo's own curve.
    /// </summary>
    public string? DayAheadCsv { get; set; }

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (StepMinutes is <= 0 or > 1440) yield return new SettingsError($"{section}:StepMinutes", "must be within (0, 1440]");
        if (HorizonHours * 60 < StepMinutes) yield return new SettingsError($"{section}:HorizonHours", "must cover at least one step");
        if (LimitOffsetEur < 0) yield return new SettingsError($"{section}:LimitOffsetEur", "must be ≥ 0");
        if (LotMw <= 0) yield return new SettingsError($"{section}:LotMw", "must be positive");
        if (ReplanSeconds < 1) yield return new SettingsError($"{section}:ReplanSeconds", "must be at least 1");
        if (SettingsError.MissingFile($"{section}:DayAheadCsv", DayAheadCsv) is { } missing) yield return missing;
    }
}
