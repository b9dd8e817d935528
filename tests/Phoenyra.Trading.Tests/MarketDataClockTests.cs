using Microsoft.Extensions.Time.Testing;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Tests;

/// <summary>Market statistics follow the desk's clock, not only its trades.</summary>
public sealed class MarketDataClockTests
{
    [Fact]
    public async Task TheFifteenMinuteVwap_AgesOut_WhenTheClockMovesOnWithoutTrades()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await TradingHost.Start(clock: clock);
        await host.Limit(OrderSide.Sell, 1m, 80m, account: "bob");
        await host.Limit(OrderSide.Buy, 1m, 80m, account: "alice");
        Assert.Equal(80m, host.Engine().Snapshot.Vwap);

        clock.Advance(TimeSpan.FromMinutes(16));
        host.Engine().SetReference(81m);
        await host.Engine().Query(_ => true); // runs after the reference tick on the market's loop

        Assert.Null(host.Engine().Snapshot.Vwap);
        Assert.Equal(80m, host.Engine().Snapshot.LastTrade);
    }
}
