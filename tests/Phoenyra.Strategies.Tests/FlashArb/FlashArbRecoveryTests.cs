using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>A desk that stops mid-cycle (after the power leg, before the futures leg) resolves the cycle when it comes back.</summary>
public sealed class FlashArbRecoveryTests : IAsyncDisposable
{
    private const string Account = "arb";
    private TestDesk? _desk;

    private IServiceProvider Services => _desk!.Services;

    private async Task Start()
    {
        if (_desk is not null)
        {
            await _desk.Restart();
            return;
        }
        var settings = TestDesk.FlashArb(Account);
        settings["Phoenyra:Trading:Markets:0:ReferencePrice"] = "80";
        settings["Phoenyra:Trading:Markets:1:ReferencePrice"] = "83";
        _desk = await TestDesk.Start(settings);
    }

    private async Task<decimal> PowerNet() =>
        (await _desk!.Trading.AccountPositions(Account)).SingleOrDefault(p => p.Position.Market == "GB-SPOT-30")?.Position.NetQuantity ?? 0m;

    private FlashArbView View => Services.GetRequiredService<FlashArbDesk>().View;

    [Fact]
    public async Task ACycleOpenWhenTheDeskStopped_IsUnwoundOnRestart_Once()
    {
        await Start();
        // What a crash between the legs leaves: the cycle journalled as open, its power leg bought.
        Services.GetRequiredService<StrategyJournal>().Append(Account, new StrategyEvent(StrategyEventKind.CycleOpened, DateTimeOffset.UtcNow, 7, 0, null));
        var bought = await Services.GetRequiredService<IBus>().Send(new SubmitOrder("GB-SPOT-30", OrderSide.Buy, 5, null, OrderType.Market, TimeInForce.Ioc, Account, "FA-7-POWER"));
        Assert.Equal(5m, bought.FilledQuantity);

        await Start();

        Assert.Equal(0m, await PowerNet());
        var cycle = Assert.Single(View.Cycles);
        Assert.Equal((7L, CycleOutcome.UnwoundOnRestart), (cycle.Id, cycle.Outcome));
        Assert.Equal(("GB-SPOT-30", "sell", 5m), (cycle.Legs[0].Venue, cycle.Legs[0].Side, cycle.Legs[0].Quantity));
        Assert.Equal(StrategyState.Stopped, Services.GetRequiredService<FlashArbDesk>().Status!.State);

        await Start();

        Assert.Equal(0m, await PowerNet());
        Assert.Single(View.Cycles);
    }

    public async ValueTask DisposeAsync()
    {
        if (_desk is not null) await _desk.DisposeAsync();
    }
}
