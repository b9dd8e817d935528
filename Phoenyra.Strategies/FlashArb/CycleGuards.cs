using Phoenyra.Strategies.FlashArb.Settings;

namespace Phoenyra.Strategies.FlashArb;

/// <summary>
/// The checks a cycle passes before it reads any market data, in the document's order: trading
/// enabled, weekend (UTC Saturday and Sunday unless allowed), the UTC window, the daily loss
/// (losses net of profits since 00:00 UTC). The answer is the reason code a blocked cycle counts
/// in <c>trades_blocked_by_limit_total{reason}</c>, or null.
/// </summary>
public static class CycleGuards
{
    /// <summary>Every code <see cref="Blocked"/> answers.</summary>
    public static readonly IReadOnlyList<string> Reasons = ["disabled", "weekend", "outside_window", "daily_loss"];

    public static string? Blocked(FlashArbSettings settings, DateTimeOffset now, decimal dailyNetPnlGbp)
    {
        if (!settings.TradingEnabled) return "disabled";
        if (!settings.AllowWeekendTrading && now.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) return "weekend";
        if (!settings.TradingWindow.Contains(now)) return "outside_window";
        if (settings.MaxDailyLossGbp > 0 && -dailyNetPnlGbp >= settings.MaxDailyLossGbp) return "daily_loss";
        return null;
    }
}
