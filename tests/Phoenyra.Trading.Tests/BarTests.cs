using Phoenyra.Trading.MarketData;

namespace Phoenyra.Trading.Tests;

/// <summary>1-minute and 15-minute bars: exact figures for the open bar, and only the newest kept.</summary>
public sealed class BarTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TheOpenBar_HasItsTradesOhlcVolumeAndVwap()
    {
        var data = new MarketDataState(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
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
        var data = new MarketDataState(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
        for (var minute = 0; minute < 100; minute++) data.OnTrade(50m + minute, 1m, Noon.AddMinutes(minute));

        Assert.Equal(96, data.MinuteBars.Count);
        Assert.Equal((Noon.AddMinutes(4), 54m), (data.MinuteBars[0].Start, data.MinuteBars[0].Open));
        Assert.Equal((Noon.AddMinutes(99), 149m), (data.MinuteBars[^1].Start, data.MinuteBars[^1].Close));
        Assert.Equal(7, data.QuarterBars.Count);
    }
}
