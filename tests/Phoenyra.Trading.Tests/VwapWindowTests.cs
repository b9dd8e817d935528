using Phoenyra.Trading.MarketData;

namespace Phoenyra.Trading.Tests;

/// <summary>The 15-minute VWAP at a high trade rate: exact, and bounded in memory and in snapshots.</summary>
public sealed class VwapWindowTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TenThousandTradesInTwoSeconds_AreTwoEntries_AndTheVwapIsExact()
    {
        var data = new MarketDataState(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
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
        var data = new MarketDataState(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
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
        var original = new MarketDataState(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
        original.OnTrade(90m, 2m, Noon);
        original.OnTrade(95m, 1m, Noon.AddMilliseconds(300));
        var restored = new MarketDataState(emaAlpha: 0.2, markTradeMaxAge: TimeSpan.FromMinutes(5));
        restored.Restore(original.Capture());

        foreach (var state in new[] { original, restored }) state.OnTrade(80m, 1m, Noon.AddMilliseconds(600));

        Assert.Equal(original.Vwap, restored.Vwap);
        Assert.Equal(original.Capture().Window, restored.Capture().Window);
    }
}
