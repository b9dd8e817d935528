using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Tests;

public sealed class RecoveryTests
{
    [Fact]
    public async Task Restart_RebuildsOpenOrdersInQueueOrder_TradesPositionsPnlAndPrices()
    {
        await using var host = await TradingHost.Start(marketMaker: true);
        var engine = host.Engine("DE-ID-60");
        engine.SetReference(80m);
        var bought = await host.Limit(OrderSide.Buy, 4m, 80.2m, market: "DE-ID-60");   // fills against the simulated maker
        engine.SetReference(90m);
        var sold = await host.Limit(OrderSide.Sell, 1m, 89.8m, market: "DE-ID-60");    // realizes (89.8 - 80.2) x 1 MWh
        var first = await host.Limit(OrderSide.Buy, 1m, 70m, account: "alice", market: "DE-ID-60");
        var second = await host.Limit(OrderSide.Buy, 2m, 70m, account: "bob", market: "DE-ID-60");
        var cancelled = await host.Limit(OrderSide.Buy, 1m, 69m, market: "DE-ID-60");
        await host.Bus.Send(new CancelOrder(cancelled.OrderId!.Value, "alice"));
        var before = engine.Snapshot;
        var tradesBefore = await engine.Query(e => e.Trades(null));

        await host.Restart();
        engine = host.Engine("DE-ID-60");

        Assert.Equal((OrderStatus.Filled, OrderStatus.Filled), (bought.Status, sold.Status));
        var after = engine.Snapshot;
        Assert.Equal(3m, after.Position.NetQuantity);
        Assert.Equal(9.6m, after.Position.RealizedPnl);
        Assert.Equal(80.2m, after.Position.AveragePrice);
        Assert.Equal((before.LastTrade, before.Ema, before.Vwap), (after.LastTrade, after.Ema, after.Vwap));
        Assert.Equal(tradesBefore.Select(t => (t.Id, t.Price, t.Quantity)), (await engine.Query(e => e.Trades(null))).Select(t => (t.Id, t.Price, t.Quantity)));
        var open = await engine.Query(e => e.Orders(OrderFilter.Open));
        Assert.Equal([first.OrderId!.Value, second.OrderId!.Value], open.Select(o => o.Id).Order());
        var closed = await engine.Query(e => e.Orders(OrderFilter.Closed));
        Assert.Contains(closed, o => o.Id == cancelled.OrderId && o.Status == OrderStatus.Cancelled);

        // Time priority survived: a seller now fills alice (first in the queue) before bob.
        var hit = await host.Limit(OrderSide.Sell, 1m, 70m, account: "carol", market: "DE-ID-60");
        var trade = Assert.Single(hit.Fills);
        Assert.Equal(70m, trade.Price);
        Assert.Equal(first.OrderId, (await engine.Query(e => e.Trades(null)))[^1].MakerOrderId);
        // Ids continue after the journal's highest.
        Assert.True(hit.OrderId > cancelled.OrderId);
    }

    [Fact]
    public async Task PartiallyFilledRestingOrder_ComesBackWithItsRemainder()
    {
        await using var host = await TradingHost.Start();
        var resting = await host.Limit(OrderSide.Sell, 5m, 95m, account: "bob");
        await host.Limit(OrderSide.Buy, 2m, 95m, account: "alice");

        await host.Restart();

        var open = await host.Engine().Query(e => e.Orders(OrderFilter.Open));
        var order = Assert.Single(open);
        Assert.Equal((resting.OrderId!.Value, 3m, 2m, OrderStatus.PartiallyFilled), (order.Id, order.RemainingQuantity, order.FilledQuantity, order.Status));
        Assert.Equal(95m, host.Engine().Snapshot.BestAsk);
        var rest = await host.Limit(OrderSide.Buy, 3m, 95m, account: "alice");
        Assert.Equal(OrderStatus.Filled, rest.Status);
        Assert.Null(host.Engine().Snapshot.BestAsk);
    }
}
