using Phoenyra.Core.Settings;

namespace Phoenyra.Strategies.Runtime;

/// <summary>
/// A strategy's kill-switch triggers, in EUR unless said otherwise; 0 switches a trigger off.
/// Checked every <see cref="CheckSeconds"/> and on every fill.
/// </summary>
public sealed class KillSwitchOptions
{
    /// <summary>The balance the drawdown share is taken of.</summary>
    public decimal StartingBalanceEur { get; set; } = 100_000m;

    /// <summary>Drawdown from the session's peak total PnL, as a share of the starting balance.</summary>
    public decimal MaxDrawdownShare { get; set; } = 0.05m;

    /// <summary>Total PnL lost since the strategy was started.</summary>
    public decimal MaxSessionLossEur { get; set; } = 2_500m;

    /// <summary>Total PnL lost since 00:00 UTC.</summary>
    public decimal MaxDailyLossEur { get; set; } = 5_000m;

    /// <summary>Unrealized loss on the inventories at the mid.</summary>
    public decimal MaxUnrealizedLossEur { get; set; } = 2_500m;

    /// <summary>Inventory of either side at the mid.</summary>
    public decimal MaxInventoryPerSideEur { get; set; } = 60_000m;

    /// <summary>Exposure / the policy's exposure limit.</summary>
    public decimal MaxMarginRatio { get; set; } = 0.80m;

    /// <summary>No bar for this long while running.</summary>
    public double StaleDataSeconds { get; set; } = 120;

    /// <summary>Maker fills / all fills below this, once <see cref="MakerRatioMinFills"/> fills are in.</summary>
    public decimal MinMakerRatio { get; set; }

    public int MakerRatioMinFills { get; set; } = 20;

    public double CheckSeconds { get; set; } = 2;

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (StartingBalanceEur <= 0) yield return new SettingsError($"{prefix}:StartingBalanceEur", "must be a positive EUR amount");
        if (MaxDrawdownShare is < 0 or > 1) yield return new SettingsError($"{prefix}:MaxDrawdownShare", $"is {MaxDrawdownShare}; use 0 (off) ..1, e.g. 0.05 for 5 %");
        foreach (var (name, value) in new[] { ("MaxSessionLossEur", MaxSessionLossEur), ("MaxDailyLossEur", MaxDailyLossEur), ("MaxUnrealizedLossEur", MaxUnrealizedLossEur), ("MaxInventoryPerSideEur", MaxInventoryPerSideEur) })
            if (value < 0) yield return new SettingsError($"{prefix}:{name}", $"is {value}; use 0 (off) or a positive EUR amount");
        if (MaxMarginRatio < 0) yield return new SettingsError($"{prefix}:MaxMarginRatio", $"is {MaxMarginRatio}; use 0 (off) or a positive ratio such as 0.8");
        if (StaleDataSeconds < 0) yield return new SettingsError($"{prefix}:StaleDataSeconds", "use 0 (off) or a number of seconds");
        if (MinMakerRatio is < 0 or > 1) yield return new SettingsError($"{prefix}:MinMakerRatio", "use 0 (off) ..1");
        if (MakerRatioMinFills < 1) yield return new SettingsError($"{prefix}:MakerRatioMinFills", "must be at least 1");
        if (CheckSeconds is < 0.1 or > 600) yield return new SettingsError($"{prefix}:CheckSeconds", "use 0.1..600 seconds");
    }
}
