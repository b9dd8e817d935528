using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.Runtime;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>
/// Two desks of a cluster on one PostgreSQL store: the leader stops with a flash-arb cycle open (its power leg
/// bought, no futures leg yet) while the arb runs; the desk that takes over first unwinds that cycle by the arb's
/// own rules, then runs the arb on.
/// </summary>
public sealed class FlashArbTakeoverTests : IAsyncDisposable
{
    private const string Account = "arb";
    private readonly string _store = PostgresServer.Shared.CreateDatabase();
    private TestDesk? _a, _b;

    private Dictionary<string, string?> Node(string node) => TestDesk.FlashArb(Account, new()
    {
        ["Phoenyra:Trading:Markets:0:ReferencePrice"] = "80",
        ["Phoenyra:Trading:Markets:1:ReferencePrice"] = "83",
        ["Phoenyra:Store:Provider"] = "postgres",
        ["Phoenyra:Store:ConnectionString"] = _store,
        ["Phoenyra:Cluster:Enabled"] = "true",
        ["Phoenyra:Cluster:NodeId"] = node,
    });

    private static async Task Leads(TestDesk desk) =>
        await desk.Services.GetRequiredService<ILeadership>().Elected.WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task ACycleOpenWhenTheLeaderStopped_IsUnwoundByTheNewLeader_AndTheArbRunsOn()
    {
        _a = await TestDesk.Start(Node("node-a"));
        await Leads(_a);
        // Running, with a spread it never takes: only the open cycle trades.
        var (started, errors, _) = await _a.Services.GetRequiredService<FlashArbDesk>().Start(
            new Dictionary<string, string> { ["SPREAD_MIN"] = "1000", ["ALLOW_WEEKEND_TRADING"] = "true", ["TRADING_WINDOW_UTC"] = "00:00-00:00" }, "test-admin", admin: true);
        Assert.True(started is not null && errors.Count == 0, string.Join("; ", errors.Select(e => e.ToString())));
        // What a crash between the legs leaves: the cycle journalled as open, its power leg bought.
        _a.Services.GetRequiredService<StrategyJournal>().Append(Account, new StrategyEvent(StrategyEventKind.CycleOpened, DateTimeOffset.UtcNow, 7, 0, null));
        var bought = await _a.Bus.Send(new SubmitOrder("GB-SPOT-30", OrderSide.Buy, 5, null, OrderType.Market, TimeInForce.Ioc, Account, "FA-7-POWER"));
        Assert.Equal(5m, bought.FilledQuantity);
        _b = await TestDesk.Start(Node("node-b"));

        await _a.Stop();
        await Leads(_b);

        var arb = _b.Services.GetRequiredService<FlashArbDesk>();
        var cycle = Assert.Single(arb.View.Cycles);
        Assert.Equal((7L, CycleOutcome.UnwoundOnRestart), (cycle.Id, cycle.Outcome));
        Assert.Equal(("GB-SPOT-30", "sell", 5m), (cycle.Legs[0].Venue, cycle.Legs[0].Side, cycle.Legs[0].Quantity));
        var position = (await _b.Trading.AccountPositions(Account)).Single(p => p.Position.Market == "GB-SPOT-30").Position;
        Assert.Equal(0m, position.NetQuantity);
        Assert.Equal(StrategyState.Running, arb.Status!.State);
    }

    public async ValueTask DisposeAsync()
    {
        if (_b is not null) await _b.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
    }
}
