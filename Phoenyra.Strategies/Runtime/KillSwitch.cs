using System.Globalization;

namespace Phoenyra.Strategies.Runtime;

/// <summary>A trip: which trigger (a stable code), the sentence an operator reads, and whether the flatten ended flat.</summary>
public sealed record KillSwitchTrip(string Trigger, string Reason, DateTimeOffset Time, bool Flat);

/// <summary>
/// Decides whether a running strategy must stop: drawdown from the session's peak PnL, session and
/// daily loss, unrealized loss, inventory per side, margin ratio, stale data and the maker-ratio
/// floor, each off at 0. Keeps the peak and the session and day baselines; used on the strategy's loop only.
/// </summary>
internal sealed class KillSwitch(KillSwitchOptions o)
{
    private decimal _peak, _sessionStart, _dayStart;
    private DateOnly? _day;

    /// <summary>The session's peak total PnL.</summary>
    public decimal Peak => _peak;

    /// <summary>The UTC day the daily loss counts in, and the total PnL it counts from.</summary>
    public (DateOnly? Day, decimal Start) Today => (_day, _dayStart);

    /// <summary>A day's baseline from before a restart: today's loss keeps counting from it.</summary>
    public void RestoreDay(DateOnly day, decimal pnl)
    {
        _day = day;
        _dayStart = pnl;
    }

    /// <summary>A new session (the strategy was started) with <paramref name="pnl"/> as its baseline.</summary>
    public void Begin(decimal pnl, DateTimeOffset now)
    {
        _peak = _sessionStart = pnl;
        RollDay(pnl, now);
    }

    public (string Trigger, string Reason)? Check(StrategyRisk risk, DateTimeOffset? lastBar, DateTimeOffset runningSince, DateTimeOffset now)
    {
        var pnl = risk.TotalPnl;
        RollDay(pnl, now);
        _peak = Math.Max(_peak, pnl);
        var drawdown = _peak - pnl;
        if (o.MaxDrawdownShare > 0 && drawdown > o.MaxDrawdownShare * o.StartingBalanceEur)
            return ("drawdown", $"drawdown {Eur(drawdown)} from the peak PnL {Eur(_peak)} is above {o.MaxDrawdownShare:P1} of the {Eur(o.StartingBalanceEur)} starting balance");
        if (o.MaxSessionLossEur > 0 && _sessionStart - pnl > o.MaxSessionLossEur)
            return ("session_loss", $"session loss {Eur(_sessionStart - pnl)} is above {Eur(o.MaxSessionLossEur)}");
        if (o.MaxDailyLossEur > 0 && _dayStart - pnl > o.MaxDailyLossEur)
            return ("daily_loss", $"today's loss {Eur(_dayStart - pnl)} is above {Eur(o.MaxDailyLossEur)}");
        if (o.MaxUnrealizedLossEur > 0 && -risk.UnrealizedPnl > o.MaxUnrealizedLossEur)
            return ("unrealized_loss", $"unrealized loss {Eur(-risk.UnrealizedPnl)} is above {Eur(o.MaxUnrealizedLossEur)}");
        if (o.MaxInventoryPerSideEur > 0 && Math.Max(risk.LongInventory, risk.ShortInventory) > o.MaxInventoryPerSideEur)
            return ("inventory", $"{(risk.LongInventory >= risk.ShortInventory ? "long" : "short")} inventory {Eur(Math.Max(risk.LongInventory, risk.ShortInventory))} is above {Eur(o.MaxInventoryPerSideEur)} a side");
        if (o.MaxMarginRatio > 0 && risk.MarginRatio > o.MaxMarginRatio)
            return ("margin_ratio", string.Create(CultureInfo.InvariantCulture, $"margin ratio {risk.MarginRatio:0.###} is above {o.MaxMarginRatio:0.###}"));
        var silentFor = (now - (lastBar ?? runningSince)).TotalSeconds;
        if (o.StaleDataSeconds > 0 && silentFor > o.StaleDataSeconds)
            return ("stale_data", string.Create(CultureInfo.InvariantCulture, $"no bar for {silentFor:0} s (limit {o.StaleDataSeconds:0} s)"));
        if (o.MinMakerRatio > 0 && risk.Fills >= o.MakerRatioMinFills && risk.MakerRatio < o.MinMakerRatio)
            return ("maker_ratio", string.Create(CultureInfo.InvariantCulture, $"maker ratio {risk.MakerRatio:P0} over {risk.Fills} fills is below {o.MinMakerRatio:P0}"));
        return null;
    }

    private void RollDay(decimal pnl, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_day == today) return;
        _day = today;
        _dayStart = pnl;
    }

    private static string Eur(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture) + " EUR";
}
