using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Trading.Tests;

/// <summary>Post-only orders add liquidity or nothing: the grid's entries rely on it, so its maker ratio means something.</summary>
public sealed class PostOnlyTests
{
    [Fact]
    public async Task APostOnlyOrderThatWouldTrade_IsRefusedWithAReason_AndOneInsideTheSpreadRests()
    {
        await using var host = await TradingHost.Start();
        await host.Limit(OrderSide.Sell, 1m, 85.52m, account: "bob");
        await host.Limit(OrderSide.Buy, 1m, 85.12m, account: "carol");

        var crossingBuy = await host.Bus.Send(OrderBuilder.Buy(1m, 85.52m).PostOnly().Build());
        var crossingSell = await host.Bus.Send(OrderBuilder.Sell(1m, 85.10m).PostOnly().Build());
        var inside = await host.Bus.Send(OrderBuilder.Buy(1m, 85.50m).PostOnly().Build());

        Assert.Equal((OrderStatus.Rejected, RejectReason.PostOnlyWouldCross), (crossingBuy.Status, crossingBuy.Reason));
        Assert.Contains("best offer 85.52", crossingBuy.Message);
        Assert.Equal(RejectReason.PostOnlyWouldCross, crossingSell.Reason);
        Assert.Equal((OrderStatus.Accepted, 0m), (inside.Status, inside.FilledQuantity));
        Assert.Equal(85.50m, host.Engine().Snapshot.BestBid);
        Assert.Equal(85.52m, host.Engine().Snapshot.BestAsk); // nothing traded
    }

    [Fact]
    public async Task PostOnly_NeedsAGtcLimitOrder()
    {
        await using var host = await TradingHost.Start();

        var invalid = await Assert.ThrowsAsync<CommandValidationException>(() => host.Bus.Send((OrderBuilder.Buy().PostOnly() with { TimeInForce = TimeInForce.Ioc }).Build()).AsTask());

        Assert.Contains(invalid.Errors, e => e.Field == "post_only");
    }
}
