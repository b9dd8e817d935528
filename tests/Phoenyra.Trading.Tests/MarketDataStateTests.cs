using Phoenyra.Trading.MarketData;

namespace Phoenyra.Trading.Tests;

/// <summary>
/// A market's statistics at a high trade rate: the 15-minute VWAP and the bars are exact, and bounded
/// in memory and in snapshots.
/// </summary>
public sealed class MarketDataStateTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TenThousandTradesInTwoSeconds_AreTwoEntries_AndTheVwapIsExact()
    {
        var data = New();
        decimal notional = 0, volume = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var (price, quantity) = (80m + i % 7, 0.1m * (1 + i % 3));
            data.OnTrade(price, quantity, Noon.AddMilliseconds(i * 0.2));
            (notional, volume) = (notional + price * quantity, volume + quantity);
        }

        Assert.Equal(2, data.Capture().Window.Count);
        Assert.Equal(decimal.Round(notional / volume, 4), data.Vwap);
    }

    [Fact]
    public void ASecondsTrades_LeaveTheWindowTogether_FifteenMinutesLater()
    {
        var data = New();
        data.OnTrade(100m, 1m, Noon.AddMilliseconds(100));
        data.OnTrade(100m, 1m, Noon.AddMilliseconds(900));
        data.OnTrade(70m, 1m, Noon.AddMinutes(10));
        Assert.Equal(90m, data.Vwap);

        data.Expire(Noon.AddMinutes(15).AddMilliseconds(500));

        Assert.Equal(70m, data.Vwap);
        Assert.Single(data.Capture().Window);
    }

    [Fact]
    public void ARestoredWindow_CarriesOnExactlyAsTheOriginal()
    {
        var original = New();
        original.OnTrade(90m, 2m, Noon);
        original.OnTrade(95m, 1m, Noon.AddMilliseconds(300));
        var restored = New();
        restored.Restore(original.Capture());

        foreach (var state in new[] { original, restored }) state.OnTrade(80m, 1m, Noon.AddMilliseconds(600));

        Assert.Equal(original.Vwap, restored.Vwap);
        Assert.Equal(original.Capture().Window, restored.Capture().Window);
    }

    [Fact]
    public void TheOpenBar_HasItsTradesOhlcVolumeAndVwap()
    {
        var data = New();
        data.OnTrade(80m, 1m, Noon.AddSeconds(1));
        data.OnTrade(90m, 3m, Noon.AddSeconds(20));
        data.OnTrade(70m, 1m, Noon.AddSeconds(59));

        var bar = Assert.Single(data.MinuteBars);
        Assert.Equal(new Bar(Noon, 80m, 90m, 70m, 70m, 5m, 84m), bar);
        Assert.Equal(bar with { }, Assert.Single(data.QuarterBars));
    }

    [Fact]
    public void AfterManyMinutes_TheNewest96AreKept_TheOpenOneLast()
    {
        var data = New();
        for (var minute = 0; minute < 100; minute++) data.OnTrade(50m + minute, 1m, Noon.AddMinutes(minute));

        Assert.Equal(96, data.MinuteBars.Count);
        Assert.Equal((Noon.AddMinutes(4), 54m), (data.MinuteBars[0].Start, data.MinuteBars[0].Open));
        Assert.Equal((Noon.AddMinutes(99), 149m), (data.MinuteBars[^1].Start, data.MinuteBars[^1].Close));
        Assert.Equal(7, data.QuarterBars.Count);
    }

    private static MarketDataState New() => new(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
}
