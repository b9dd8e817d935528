using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;
using Phoenyra.Trading;

namespace Phoenyra.Strategies.Tests;

/// <summary>
/// Core, Ops, Trading and Strategies on a private folder: one hedge grid (<c>grid-1</c>) on DE-ID-15
/// with the simulated market maker quoting around a reference the test moves, bars every 100 ms.
/// The worked ladder: centre 100, step 0.25, longs 99.75 / 99.50 / … at 1, 1.2, 1.4, 1.7, 2 MW.
/// </summary>
public sealed class GridDesk : IAsyncDisposable
{
    public const string Id = "grid-1";
    public const string Market = "DE-ID-15";

    private readonly TestDesk _desk;

    private GridDesk(TestDesk desk) => _desk = desk;

    public IServiceProvider Services => _desk.Services;
    public IBus Bus => _desk.Bus;
    public StrategyDesk Strategies => Services.GetRequiredService<StrategyDesk>();
    public TradingDesk Trading => _desk.Trading;
    internal StrategyInstance Instance => Services.GetRequiredService<StrategyRegistry>().Find(Id)!;
    public StrategyStatus Status => Strategies.Status(Id)!;
    public GridView Grid => (GridView)Status.View;

    /// <summary>A desk with the grid stopped and the reference at 100; <paramref name="extra"/> overrides settings (kill-switch limits, …).</summary>
    public static async Task<GridDesk> Start(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Phoenyra:Trading:Markets:0:Id"] = Market,
            ["Phoenyra:Trading:Markets:0:ProductHours"] = "0.25",
            ["Phoenyra:Trading:Markets:0:ReferencePrice"] = "100",
            ["Phoenyra:Strategies:Instances:0:Id"] = Id,
            ["Phoenyra:Strategies:Instances:0:Market"] = Market,
            ["Phoenyra:Strategies:Instances:0:BarSeconds"] = "0.1",
            ["Phoenyra:Strategies:Instances:0:HedgeGrid:BaseQty"] = "1",
            ["Phoenyra:Strategies:Instances:0:KillSwitch:CheckSeconds"] = "0.1",
        };
        foreach (var (k, v) in extra ?? []) settings[k] = v;
        return new GridDesk(await TestDesk.Start(settings));
    }

    /// <summary>Stops the desk and starts it again on the same data: journal replayed, strategy recovered.</summary>
    public Task Restart() => _desk.Restart();

    /// <summary>The price source moves: the market maker re-quotes around it (and trades with resting orders it crosses).</summary>
    public async Task Reference(decimal price) =>
        await Bus.Publish(new ReferencePriceUpdated(Market, price, DateTimeOffset.UtcNow, "test"));

    /// <summary>Moves the reference and waits until the grid has processed a bar on the market it moved to.</summary>
    public async Task MoveTo(decimal price)
    {
        using var marks = Bus.Subscribe<MarkUpdated>();
        await Reference(price);
        while (await marks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)) is var mark && mark.Reference != price) { }
        // The router saw that mark before this subscriber did: the next bar processed from now on is at least that market.
        var seen = DateTimeOffset.UtcNow;
        await Eventually(() => Status.LastBar > seen || Status.State != StrategyState.Running, $"a bar after the move to {price}");
    }

    public async Task<StrategyCommandResult> StartGrid() => await Strategies.Start(Id, "test-trader")!;

    /// <summary>The account's net position per the engine (not the strategy's own books).</summary>
    public async Task<decimal> EngineNet() =>
        (await Trading.AccountPositions(Id)).SingleOrDefault()?.Position.NetQuantity ?? 0m;

    public async Task<IReadOnlyList<OrderView>> EngineOpenOrders() =>
        (await Trading.OpenOrders()).Where(o => o.Account == Id).ToList();

    /// <summary>Waits (up to 10 s) for a condition the desk reaches asynchronously; fails naming it.</summary>
    public static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => _desk.DisposeAsync();
}
