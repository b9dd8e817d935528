using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Tests;

/// <summary>Each trigger fires past its limit, names itself, and stays quiet at 0 (off).</summary>
public sealed class KillSwitchTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static StrategyRisk Risk(decimal realized = 0, decimal unrealized = 0, decimal longInv = 0, decimal shortInv = 0, decimal margin = 0, int fills = 0, int maker = 0) =>
        new(realized, unrealized, longInv, shortInv, margin, fills, maker);

    private static string? Trip(KillSwitchOptions o, params StrategyRisk[] path)
    {
        var kill = new KillSwitch(o);
        kill.Begin(0, Now);
        (string Trigger, string Reason)? trip = null;
        foreach (var risk in path) trip = kill.Check(risk, Now, Now, Now);
        return trip?.Trigger;
    }

    private static KillSwitchOptions AllOff() => new()
    {
        MaxDrawdownShare = 0, MaxSessionLossEur = 0, MaxDailyLossEur = 0, MaxUnrealizedLossEur = 0,
        MaxInventoryPerSideEur = 0, MaxMarginRatio = 0, StaleDataSeconds = 0, MinMakerRatio = 0,
    };

    [Fact]
    public void Drawdown_IsMeasuredFromThePeak_AsAShareOfTheStartingBalance()
    {
        var o = AllOff();
        o.StartingBalanceEur = 10_000;
        o.MaxDrawdownShare = 0.05m; // 500 EUR

        Assert.Null(Trip(o, Risk(realized: 800), Risk(realized: 300))); // 500 down from the peak: not above
        Assert.Equal("drawdown", Trip(o, Risk(realized: 800), Risk(realized: 299.99m)));
    }

    [Fact]
    public void EveryTrigger_FiresPastItsLimit()
    {
        Assert.Equal("session_loss", Trip(new KillSwitchOptions { MaxDrawdownShare = 0, MaxSessionLossEur = 100 }, Risk(realized: -100.01m)));
        Assert.Equal("unrealized_loss", Trip(new KillSwitchOptions { MaxDrawdownShare = 0, MaxUnrealizedLossEur = 50 }, Risk(unrealized: -51)));
        Assert.Equal("inventory", Trip(new KillSwitchOptions { MaxInventoryPerSideEur = 1_000 }, Risk(shortInv: 1_001)));
        Assert.Equal("margin_ratio", Trip(new KillSwitchOptions(), Risk(margin: 0.81m)));
        Assert.Equal("maker_ratio", Trip(new KillSwitchOptions { MinMakerRatio = 0.9m, MakerRatioMinFills = 10 }, Risk(fills: 10, maker: 8)));
        Assert.Null(Trip(new KillSwitchOptions { MinMakerRatio = 0.9m, MakerRatioMinFills = 10 }, Risk(fills: 9, maker: 0)));
    }

    [Fact]
    public void DailyLoss_CountsFromMidnightUtc()
    {
        var o = AllOff();
        o.MaxDailyLossEur = 100;
        var kill = new KillSwitch(o);
        kill.Begin(0, Now);

        Assert.Null(kill.Check(Risk(realized: -90), Now, Now, Now));
        var tomorrow = Now.AddDays(1).Date;
        Assert.Null(kill.Check(Risk(realized: -150), Now, Now, new DateTimeOffset(tomorrow, TimeSpan.Zero))); // a new day starts at -150
        Assert.Equal("daily_loss", kill.Check(Risk(realized: -251), Now, Now, new DateTimeOffset(tomorrow.AddHours(1), TimeSpan.Zero))?.Trigger);
    }

    [Fact]
    public void StaleData_CountsFromTheLastBar_OrTheStartWhenNoneCame()
    {
        var o = AllOff();
        o.StaleDataSeconds = 120;
        var kill = new KillSwitch(o);
        kill.Begin(0, Now);

        Assert.Null(kill.Check(Risk(), Now.AddSeconds(-100), Now.AddSeconds(-500), Now));
        Assert.Equal("stale_data", kill.Check(Risk(), null, Now.AddSeconds(-121), Now)?.Trigger);
    }

    [Fact]
    public void WithEveryTriggerOff_NothingTrips()
    {
        Assert.Null(Trip(AllOff(), Risk(realized: -1e9m, unrealized: -1e9m, longInv: 1e9m, margin: 100, fills: 100)));
    }
}
