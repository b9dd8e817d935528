using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Tests;

/// <summary>HedgeGridV1 on the paper market: every order through the real risk engine, book and journal.</summary>
public sealed class HedgeGridTradingTests
{
    private static async Task<GridDesk> Running(Dictionary<string, string?>? extra = null)
    {
        var desk = await GridDesk.Start(extra);
        await desk.Reference(100m);
        Assert.True((await desk.StartGrid()).Ok);
        await GridDesk.Eventually(() => desk.Grid.Rungs.Count(r => r.State == "resting") == 10, "ten resting rungs");
        return desk;
    }

    [Fact]
    public async Task Start_RestsFiveRungsASide_AroundTheMid_InTheSeedsIdShape()
    {
        await using var desk = await Running();

        var orders = await desk.EngineOpenOrders();
        Assert.Equal(10, orders.Count);
        Assert.Equal([99.75m, 99.5m, 99.25m, 99m, 98.75m], orders.Where(o => o.Side == OrderSide.Buy).Select(o => o.Price!.Value).OrderDescending());
        Assert.Equal([100.25m, 100.5m, 100.75m, 101m, 101.25m], orders.Where(o => o.Side == OrderSide.Sell).Select(o => o.Price!.Value).Order());
        Assert.Equal([1m, 1.2m, 1.4m, 1.7m, 2m], orders.Where(o => o.Side == OrderSide.Buy).OrderByDescending(o => o.Price).Select(o => o.Quantity));
        Assert.Matches("^HG1-LONG-01-9975-[0-9]+$", orders.Single(o => o.Price == 99.75m).ClientOrderId);
        Assert.Matches("^HG1-SHORT-01-10025-[0-9]+$", orders.Single(o => o.Price == 100.25m).ClientOrderId);
        Assert.Equal(StrategyState.Running, desk.Status.State);
    }

    [Fact]
    public async Task AFilledRung_RestsItsTakeProfit_AndIsNotRestackedUntilItExits()
    {
        await using var desk = await Running();

        await desk.MoveTo(99.5m); // asks from 99.70 cross the 99.75 bid: rung 1 fills as maker
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 1m, "the first long rung filled");

        var takeProfit = desk.Grid.Orders.Single(o => o.Kind == GridOrderKind.TakeProfit);
        Assert.Equal((OrderSide.Sell, 100.25m, 1m), (takeProfit.Side, takeProfit.Price, takeProfit.Quantity));
        Assert.StartsWith("HG1-TP-L01-", takeProfit.ClientOrderId);
        Assert.Equal("take_profit", desk.Grid.Rungs.Single(r => r.Side == GridSide.Long && r.Rung == 1).State);
        Assert.Equal(1m, desk.Status.Risk.MakerRatio);
        await desk.MoveTo(99.6m);
        Assert.DoesNotContain(desk.Grid.Orders, o => o.Kind == GridOrderKind.Entry && o.Price == 99.75m);

        await desk.MoveTo(100.6m); // bids from 100.40 cross the 100.25 take-profit
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 0m, "the take-profit filled");

        Assert.Equal(0.13m, desk.Status.Risk.RealizedPnl); // (100.25 - 99.75) x 1 MW x 0.25 h = 0.125, in cents
        Assert.DoesNotContain(desk.Grid.Orders, o => o.Kind == GridOrderKind.TakeProfit && o.Side == OrderSide.Sell);
        await GridDesk.Eventually(() => desk.Grid.Orders.Any(o => o.ClientOrderId.StartsWith("HG1-LONG-01-9975-")), "rung 1 re-placed once it exited");
    }

    [Fact]
    public async Task APriceCrash_TripsTheKillSwitch_EndsFlatAndHalted_AndStartIsRefusedUntilReset()
    {
        await using var desk = await Running(new() { ["Phoenyra:Strategies:Instances:0:KillSwitch:MaxUnrealizedLossEur"] = "1" });
        using var alerts = desk.Bus.Subscribe<StrategyAlert>();

        foreach (var price in new[] { 99.5m, 99m, 98.5m, 98m, 97.5m, 97m })
        {
            await desk.Reference(price);
            await Task.Delay(150);
        }
        await GridDesk.Eventually(() => desk.Status.State == StrategyState.Halted, "the kill switch to halt the grid");

        var alert = await alerts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((GridDesk.Id, true), (alert.StrategyId, alert.Flat));
        Assert.Equal(alert.Trigger, desk.Status.LastTrip!.Trigger);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 0 && desk.Grid.Short.Quantity == 0, "both legs flat");
        Assert.Equal(0m, await desk.EngineNet());
        Assert.Empty(await desk.EngineOpenOrders());

        var refused = await desk.StartGrid();
        Assert.False(refused.Ok);
        Assert.Contains("reset", refused.Problem);
        Assert.Equal(StrategyState.Halted, desk.Status.State);

        var alone = await desk.Strategies.Reset(GridDesk.Id, "test-trader", "crash understood", admin: false)!;
        Assert.False(alone.Ok); // four eyes: the key that started it may not sign its halt off
        Assert.Contains("four eyes", alone.Problem);
        Assert.True((await desk.Strategies.Reset(GridDesk.Id, "risk-officer", "crash understood", admin: false)!).Ok);
        Assert.True((await desk.StartGrid()).Ok);
    }

    [Fact]
    public async Task AtLowSoc_TheGridCannotOpenSells_ButItsFlattenStillSellsItsLongBack()
    {
        await using var desk = await Running();
        await desk.MoveTo(99.5m);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 1m, "a long fill");
        // The battery's SELL guard on the grid's market (what the BESS module publishes at 12 % SoC).
        await desk.Bus.Publish(new TradingGuardChanged("bess", "soc-low", true, OrderSide.Sell, 1.0, "SoC 12 % is below 15 %", DateTimeOffset.UtcNow, null, [GridDesk.Market]));

        Assert.Equal(RejectReason.SideBlocked, desk.Trading.SideCheck(GridDesk.Market, OrderSide.Sell, opening: true).Reason);
        var (result, flatten) = await desk.Strategies.Flatten(GridDesk.Id, FlattenSide.Long, "test-trader")!;

        Assert.True(result.Ok);
        Assert.True(flatten!.Flat, flatten.Problem);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 0m, "the long leg sold back");
        Assert.Equal(0m, await desk.EngineNet());
    }

    [Fact]
    public async Task FlattenLong_ClosesTheLongLeg_KeepsTheShort_AndLeavesTheGridStopped()
    {
        await using var desk = await Running();
        await desk.MoveTo(99.5m);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 1m, "a long fill");
        await desk.MoveTo(100.5m);
        await GridDesk.Eventually(() => desk.Grid.Short.Quantity > 0m, "a short fill");

        var (result, flatten) = await desk.Strategies.Flatten(GridDesk.Id, FlattenSide.Long, "test-trader")!;

        Assert.True(result.Ok);
        Assert.Equal(["LONG"], flatten!.ClosingPositions);
        Assert.True(flatten.Flat);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 0m, "the long leg closed");
        Assert.True(desk.Grid.Short.Quantity > 0m);
        Assert.Equal(StrategyState.Stopped, desk.Status.State);
        Assert.Empty(await desk.EngineOpenOrders());
        // A short entry that filled while the flatten cancelled it reaches the grid's books a moment after the engine's.
        for (var i = 0; i < 100 && -desk.Grid.Short.Quantity != await desk.EngineNet(); i++) await Task.Delay(20);
        Assert.Equal(-desk.Grid.Short.Quantity, await desk.EngineNet());
        var bars = desk.Status.LastBar;
        await desk.Reference(100.4m);
        await Task.Delay(300);
        Assert.Equal(bars, desk.Status.LastBar); // stopped: no bars, no quotes
        Assert.Empty(await desk.EngineOpenOrders());
    }

    [Fact]
    public async Task FlattenBoth_WithBothLegsOpen_EndsFlatOnTheVenue_AndBothLegsAtZero()
    {
        await using var desk = await Running();
        await desk.MoveTo(99.5m);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 1m, "a long fill");
        await desk.MoveTo(100.5m);
        await GridDesk.Eventually(() => desk.Grid.Short.Quantity > 0m, "a short fill");

        var (_, flatten) = await desk.Strategies.Flatten(GridDesk.Id, FlattenSide.Both, "test-trader")!;

        Assert.True(flatten!.Flat);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 0m && desk.Grid.Short.Quantity == 0m, "both legs at zero");
        Assert.Equal(0m, await desk.EngineNet());
    }

    [Fact]
    public async Task ARestartedDesk_BringsTheGridBackStopped_WithItsInventoryAndPnl_AndNoOrdersLeft()
    {
        await using var desk = await Running();
        await desk.MoveTo(99.5m);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 1m && desk.Grid.Orders.Any(o => o.Kind == GridOrderKind.TakeProfit), "a long fill and its take-profit");
        var before = desk.Grid.Long;

        await desk.Restart();

        Assert.Equal(StrategyState.Stopped, desk.Status.State);
        Assert.Equal((before.Quantity, before.EntryPrice), (desk.Grid.Long.Quantity, desk.Grid.Long.EntryPrice));
        Assert.Equal(1, desk.Status.Risk.Fills);
        Assert.Empty(await desk.EngineOpenOrders());
        Assert.Equal(1m, await desk.EngineNet());
    }

    [Fact]
    public async Task ThrottleZero_CancelsEveryEntry_AndHalfRestsFewerWiderRungs()
    {
        await using var desk = await Running();

        Assert.True((await desk.Strategies.SetThrottle(GridDesk.Id, 0m, "test-trader"))!.Ok);
        await GridDesk.Eventually(() => desk.Grid.Orders.Count == 0, "no grid orders at throttle 0");
        Assert.Empty(await desk.EngineOpenOrders());

        await desk.Strategies.SetThrottle(GridDesk.Id, 0.5m, "test-trader");
        await desk.MoveTo(100.01m);
        await GridDesk.Eventually(() => desk.Grid.Rungs.Count(r => r.State == "resting") == 6, "three rungs a side");
        Assert.Equal(0.375m, desk.Grid.Step / desk.Grid.Mid!.Value * 100m, 3); // 1.5 x 25 bps
        Assert.False((await desk.Strategies.SetThrottle(GridDesk.Id, 1.5m, "test-trader"))!.Ok);
    }
}
