using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Tests;

/// <summary>The runtime around any strategy: one writer, faults contained, halts that survive restarts, the desk kill switch.</summary>
public sealed class StrategyRuntimeTests
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
    public async Task OperatorsHammeringTheApi_WhileFillsArrive_NeverCorruptTheGrid()
    {
        await using var desk = await Running();
        using var stop = new CancellationTokenSource();
        var prices = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await desk.Reference(99m + i % 5 * 0.5m);
                await Task.Delay(15);
            }
        });
        var operators = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                switch ((n + i) % 4)
                {
                    case 0: await desk.Strategies.SetThrottle(GridDesk.Id, i % 3 * 0.5m, $"op-{n}"); break;
                    case 1: _ = desk.Strategies.Status(GridDesk.Id)!.View; break;
                    case 2: await desk.Strategies.Start(GridDesk.Id, $"op-{n}")!; break;
                    default: await desk.Strategies.Flatten(GridDesk.Id, (FlattenSide)(i % 3), $"op-{n}")!; break;
                }
            }
        })).ToList();
        await Task.WhenAll(operators);
        stop.Cancel();
        await prices;

        var (_, flatten) = await desk.Strategies.Flatten(GridDesk.Id, FlattenSide.Both, "test")!;
        Assert.True(flatten!.Flat, flatten.Problem);
        await GridDesk.Eventually(() => desk.Grid.Long.Quantity == 0 && desk.Grid.Short.Quantity == 0, "both legs at zero");
        var history = desk.Trading.OrderHistory(new Phoenyra.Trading.History.OrderHistoryQuery(Account: GridDesk.Id, Limit: 1000));
        await Task.Delay(400);
        history = desk.Trading.OrderHistory(new Phoenyra.Trading.History.OrderHistoryQuery(Account: GridDesk.Id, Limit: 1000));
        var dump = string.Join("\n", history.Where(o => o.FilledQuantity > 0).OrderBy(o => o.OrderId).Select(o => $"{o.OrderId} {o.ClientOrderId} {o.Side} {o.FilledQuantity}/{o.Quantity} {o.Status} {o.Reason}"));
        Assert.True(await desk.EngineNet() == 0m, $"engine net {await desk.EngineNet()}\n{dump}");
        Assert.Empty(await desk.EngineOpenOrders());
        Assert.Empty(desk.Grid.Orders);
        Assert.Null(desk.Status.Fault);
        Assert.Equal(StrategyState.Stopped, desk.Status.State);
    }

    [Fact]
    public async Task AHalt_SurvivesARestart_AndOnlyAResetLiftsIt()
    {
        await using var desk = await Running(new() { ["Phoenyra:Strategies:Instances:0:KillSwitch:MaxInventoryPerSideEur"] = "20" });
        await desk.MoveTo(99.5m); // one long rung: 1 MW x 99.5 x 0.25 h = 24.9 EUR > 20
        await GridDesk.Eventually(() => desk.Status.State == StrategyState.Halted, "the inventory trigger");
        Assert.Equal("inventory", desk.Status.LastTrip!.Trigger);
        Assert.Empty(desk.Grid.Orders);
        Assert.Empty(await desk.EngineOpenOrders());

        await desk.Restart();

        Assert.Equal(StrategyState.Halted, desk.Status.State);
        Assert.Equal("inventory", desk.Status.LastTrip!.Trigger);
        Assert.False((await desk.StartGrid()).Ok);
        var audit = await desk.Services.GetRequiredService<IAuditLog>().Query(new AuditQuery(Action: "strategy.halt"));
        Assert.Single(audit);
        Assert.False((await desk.Strategies.Reset(GridDesk.Id, "test-trader", "limit reviewed", admin: false)!).Ok); // the starter, after a restart too
        Assert.True((await desk.Strategies.Reset(GridDesk.Id, "test-trader", "limit reviewed", admin: true)!).Ok);
        await desk.Restart();
        Assert.Equal(StrategyState.Stopped, desk.Status.State);
    }

    [Fact]
    public async Task TodaysLoss_CountsFrom0000Utc_AcrossARestart()
    {
        // The grid was 3,000 EUR up at the start of today and is flat (0) now: a 3,000 EUR loss today,
        // above the 2,000 EUR daily limit, however often the desk restarted in between.
        await using var desk = await GridDesk.Start(new() { ["Phoenyra:Strategies:Instances:0:KillSwitch:MaxDailyLossEur"] = "2000" });
        await desk.Reference(100m);
        desk.Services.GetRequiredService<StrategyJournal>().Append(GridDesk.Id,
            new StrategyEvent(StrategyEventKind.DayStart, DateTimeOffset.UtcNow, 0, 3000m, null));
        await desk.Restart();
        await desk.Reference(100m);

        Assert.True((await desk.StartGrid()).Ok);

        await GridDesk.Eventually(() => desk.Status.State == StrategyState.Halted, "the daily-loss trigger");
        Assert.Equal("daily_loss", desk.Status.LastTrip!.Trigger);
        Assert.Contains("3,000.00 EUR", desk.Status.LastTrip.Reason);
    }

    [Fact]
    public async Task TheDeskKillSwitch_StopsEveryStrategy_AndNoneStartsUntilTheDeskResumes()
    {
        await using var desk = await Running();

        await desk.Trading.HaltDesk("admin", "venue outage");

        await GridDesk.Eventually(() => desk.Status.State == StrategyState.Stopped, "the grid stopped");
        var refused = await desk.StartGrid();
        Assert.Contains("desk is halted", refused.Problem);
        await desk.Trading.ResumeDesk("admin", "venue back");
        Assert.True((await desk.StartGrid()).Ok);
    }

    [Fact]
    public async Task AStrategyThatThrows_IsFaulted_ItsOrdersCancelled_AndTheDeskCarriesOn()
    {
        await using var desk = await GridDesk.Start();
        await desk.Reference(100m);
        var services = desk.Services;
        var gateway = new BusGateway(desk.Bus, "faulty");
        var strategy = new ThrowingStrategy(gateway);
        var instance = new StrategyInstance(new StrategyOptions { Id = "faulty", Market = GridDesk.Market }, strategy, gateway, desk.Bus,
            services.GetRequiredService<IAuditLog>(), services.GetRequiredService<StrategyJournal>(), services.GetRequiredService<StrategyMetrics>(),
            TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var loop = instance.Run(stop.Token);

        await instance.Post(() => instance.Start("test"));
        Assert.Single(await desk.Trading.OpenOrders(), o => o.Account == "faulty");
        instance.OnMark(new MarkUpdated(GridDesk.Market, 100, null, null, 99.8m, 100.2m, 100, DateTimeOffset.UtcNow));
        instance.OfferBar();
        await GridDesk.Eventually(() => instance.Status.State == StrategyState.Faulted, "the fault");

        Assert.Contains("OnBar: boom", instance.Status.Fault);
        Assert.DoesNotContain(await desk.Trading.OpenOrders(), o => o.Account == "faulty");
        Assert.Equal(StrategyState.Stopped, desk.Status.State); // the grid next to it is untouched
        Assert.True((await desk.Bus.Send(new SubmitOrder(GridDesk.Market, OrderSide.Buy, 1, 99, OrderType.Limit, TimeInForce.Gtc, "alice"))).Accepted);
        stop.Cancel();
        await loop;
    }

    /// <summary>Places one order when started and throws on its first bar.</summary>
    private sealed class ThrowingStrategy(IOrderGateway orders) : IStrategy
    {
        private long? _order;

        public ValueTask Recover(AccountActivity activity, IReadOnlyList<StrategyEvent> events, CancellationToken ct) => ValueTask.CompletedTask;

        public async ValueTask OnStart(CancellationToken ct) =>
            _order = (await orders.Submit(new SubmitOrder(GridDesk.Market, OrderSide.Buy, 1, 98, OrderType.Limit, TimeInForce.Gtc, "faulty"), ct)).OrderId;

        public ValueTask OnBar(Bar bar, CancellationToken ct) => throw new InvalidOperationException("boom");

        public ValueTask OnOrderFilled(StrategyFill fill, CancellationToken ct) => ValueTask.CompletedTask;

        public void OnOrderClosed(OrderView order) { }

        public async ValueTask<int> OnStop(CancellationToken ct)
        {
            if (_order is { } id) await orders.Cancel(id, ct);
            return 1;
        }

        public ValueTask<FlattenResult> Flatten(FlattenSide side, CancellationToken ct) => new(new FlattenResult(0, [], true, null));

        public bool Owns(long orderId) => orderId == _order;

        public StrategyRisk Risk => new(0, 0, 0, 0, 0, 0, 0);

        public object View() => GridView.Empty;
    }
}
