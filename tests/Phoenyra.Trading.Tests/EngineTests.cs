using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Tests;

public sealed class EngineTests : IAsyncLifetime
{
    private TradingHost _host = null!;

    public async Task InitializeAsync() => _host = await TradingHost.Start();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CrossingOrder_FillsAtTheRestingPrice_UpdatesPositionMarkAndTrades()
    {
        var resting = await _host.Limit(OrderSide.Sell, 2.0m, 85.20m, account: "bob");
        var taker = await _host.Limit(OrderSide.Buy, 1.5m, 86.00m, account: "alice");

        Assert.Equal(OrderStatus.Accepted, resting.Status);
        Assert.Equal(OrderStatus.Filled, taker.Status);
        var fill = Assert.Single(taker.Fills);
        Assert.Equal((85.20m, 1.5m), (fill.Price, fill.Quantity));
        Assert.Equal(85.20m, taker.AveragePrice);

        var snapshot = _host.Engine().Snapshot;
        Assert.Equal(85.20m, snapshot.Mark);
        Assert.Equal(85.20m, snapshot.Ema);
        Assert.Equal(85.20m, snapshot.Vwap);
        Assert.Equal(85.20m, snapshot.BestAsk);
        // alice bought 1.5 and bob sold 1.5: both are the desk, so the desk is flat.
        Assert.Equal(0m, snapshot.Position.NetQuantity);
        var open = await _host.Engine().Query(e => e.Orders(OrderFilter.Open));
        Assert.Equal(0.5m, Assert.Single(open).RemainingQuantity);
        Assert.Equal(OrderStatus.PartiallyFilled, open[0].Status);
    }

    [Fact]
    public async Task Ioc_RemainderExpires_Fok_WithoutEnoughDepth_IsRejected_GtcRests()
    {
        await _host.Limit(OrderSide.Sell, 1.0m, 90m, account: "bob");

        var ioc = await _host.Limit(OrderSide.Buy, 3.0m, 90m, tif: TimeInForce.Ioc);
        Assert.Equal((OrderStatus.Expired, 1.0m), (ioc.Status, ioc.FilledQuantity));

        await _host.Limit(OrderSide.Sell, 1.0m, 90m, account: "bob");
        var fok = await _host.Limit(OrderSide.Buy, 3.0m, 90m, tif: TimeInForce.Fok);
        Assert.Equal((OrderStatus.Rejected, RejectReason.FokNotFillable), (fok.Status, fok.Reason));
        Assert.Equal(90m, _host.Engine().Snapshot.BestAsk);

        var gtc = await _host.Limit(OrderSide.Buy, 3.0m, 80m);
        Assert.Equal(OrderStatus.Accepted, gtc.Status);
        Assert.Equal(80m, _host.Engine().Snapshot.BestBid);
    }

    [Fact]
    public async Task MarketOrder_WithNoOppositeSide_IsRejectedWithNoLiquidity()
    {
        var result = await _host.Market(OrderSide.Buy, 1m);

        Assert.Equal(RejectReason.NoLiquidity, result.Reason);
        Assert.Null(result.OrderId);
    }

    [Fact]
    public async Task SelfTrade_CancelsTheRestOfTheIncomingOrder_AndSaysWhy()
    {
        await _host.Limit(OrderSide.Sell, 1m, 90m, account: "alice");

        var result = await _host.Limit(OrderSide.Buy, 1m, 91m, account: "alice");

        Assert.Equal((OrderStatus.Cancelled, RejectReason.SelfTradePrevented), (result.Status, result.Reason));
        Assert.Contains("own resting order", result.Message);
        Assert.Equal(90m, _host.Engine().Snapshot.BestAsk);
    }

    [Fact]
    public async Task Cancel_RemovesTheOrder_OnlyTheOwnerMayCancel_AndTwiceIsAConflict()
    {
        var order = await _host.Limit(OrderSide.Buy, 1m, 80m, account: "alice");

        var foreign = await _host.Bus.Send(new CancelOrder(order.OrderId!.Value, "mallory"));
        Assert.Equal(RejectReason.NotOwner, foreign.Reason);

        var cancelled = await _host.Bus.Send(new CancelOrder(order.OrderId!.Value, "alice"));
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Null(_host.Engine().Snapshot.BestBid);

        var again = await _host.Bus.Send(new CancelOrder(order.OrderId!.Value, "alice"));
        Assert.Equal(RejectReason.AlreadyClosed, again.Reason);
        Assert.Equal(RejectReason.UnknownOrder, (await _host.Bus.Send(new CancelOrder(987654, "alice"))).Reason);
    }

    [Fact]
    public async Task InvalidFields_NeverReachTheEngine_AndNameTheField()
    {
        var before = _host.JournalCount();

        var error = await Assert.ThrowsAsync<CommandValidationException>(() =>
            _host.Bus.Send(new SubmitOrder("DE-ID-15", OrderSide.Buy, 1.05m, 85.001m, OrderType.Limit, TimeInForce.Gtc, "alice")).AsTask());

        Assert.Equal(["quantity", "price"], error.Errors.Select(e => e.Field));
        Assert.Equal(before, _host.JournalCount());
    }

    [Fact]
    public async Task Events_ArePublishedAfterTheAck_InJournalOrder()
    {
        using var orders = _host.Bus.Subscribe<OrderUpdated>();
        using var trades = _host.Bus.Subscribe<TradeExecuted>();
        using var marks = _host.Bus.Subscribe<MarkUpdated>();

        var maker = await _host.Limit(OrderSide.Sell, 1m, 88m, account: "bob");
        var taker = await _host.Limit(OrderSide.Buy, 1m, 88m, account: "alice");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var trade = (await trades.Reader.ReadAsync(timeout.Token)).Trade;
        Assert.Equal((maker.OrderId, taker.OrderId, 88m), (trade.MakerOrderId, trade.TakerOrderId, trade.Price));
        var updates = new List<OrderView>();
        while (updates.Count < 3) updates.Add((await orders.Reader.ReadAsync(timeout.Token)).Order);
        Assert.Equal([(maker.OrderId!.Value, OrderStatus.Accepted), (maker.OrderId.Value, OrderStatus.Filled), (taker.OrderId!.Value, OrderStatus.Filled)],
            updates.Select(u => (u.Id, u.Status)));
        MarkUpdated mark;
        do mark = await marks.Reader.ReadAsync(timeout.Token); while (mark.Mark != 88m);
        Assert.Equal("DE-ID-15", mark.Market);
    }

    [Fact]
    public async Task Ids_AreUniqueAcrossMarkets()
    {
        var a = await _host.Limit(OrderSide.Buy, 1m, 80m, market: "DE-ID-15");
        var b = await _host.Limit(OrderSide.Buy, 1m, 80m, market: "DE-ID-60");

        Assert.NotEqual(a.OrderId, b.OrderId);
    }
}
