using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Health;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>The orchestrator configured as document 002 says for the chain (USE_WEB3_LOAN=1 …), settling on a real local chain.</summary>
public sealed class ChainOrchestratorTests(LocalChain chain) : IClassFixture<LocalChain>, IAsyncLifetime
{
    private TestDesk _desk = null!;
    private IServiceProvider Services => _desk.Services;

    public async Task InitializeAsync() => _desk = await TestDesk.Start(TestDesk.FlashArb("arb", new()
    {
        ["Phoenyra:Strategies:Instances:0:BarSeconds"] = "0.1",
        ["USE_WEB3_LOAN"] = "1",
        ["HARDHAT_RPC"] = chain.Rpc,
        ["FLASH_LOAN_CONTRACT"] = chain.Lender,
        ["FLASH_LOAN_RECEIVER"] = chain.Borrower,
        ["LENDER_KEY"] = LocalChain.DeskKey,
        ["POWER_SETTLEMENT_ADDRESS"] = LocalChain.PowerVenue,
        ["FUTURES_SETTLEMENT_ADDRESS"] = chain.Desk,
    }));

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public async Task ProfitableCycles_SettleOnChain_AndTheChainsBalancesMatchTheJournalledCycles()
    {
        var desk = Services.GetRequiredService<FlashArbDesk>();
        var bus = Services.GetRequiredService<IBus>();
        var float0 = await chain.Balance(chain.Lender);
        var venue0 = await chain.Balance(LocalChain.PowerVenue);
        var chainCheck = Services.GetServices<IReadinessCheck>().Single(c => c.Name == "chain");
        Assert.True(chainCheck.Enabled);
        Assert.True((await chainCheck.Check(default)).Ok);

        var (started, errors, _) = await desk.Start(new Dictionary<string, string> { ["ALLOW_WEEKEND_TRADING"] = "1", ["TRADING_WINDOW_UTC"] = "00:00-00:00" }, "test-admin", admin: true);
        Assert.Empty(errors);
        Assert.True(started!.Ok, started.Problem);
        for (var i = 0; i < 200 && desk.View.Cycles.Count(c => c.Outcome == CycleOutcome.Completed) < 3; i++)
        {
            await bus.Publish(new ReferencePriceUpdated("GB-SPOT-30", 80m, DateTimeOffset.UtcNow, "test"));
            await bus.Publish(new ReferencePriceUpdated("GB-BASE-M", 83m, DateTimeOffset.UtcNow, "test"));
            await Task.Delay(50);
        }
        await desk.Stop("test-trader");

        var completed = desk.View.Cycles.Where(c => c.Outcome == CycleOutcome.Completed).ToList();
        Assert.True(completed.Count >= 3, string.Join("; ", desk.View.Cycles.Select(c => $"{c.Outcome} {c.Problem}")));
        Assert.All(completed, c => Assert.Matches("^0x[0-9a-f]{64}$", c.LoanTransaction));
        var powerPence = completed.Sum(c => Math.Round(c.Legs[0].Quantity * c.Legs[0].AveragePrice!.Value * 0.5m * 1.0005m * 100m, MidpointRounding.ToPositiveInfinity));
        Assert.Equal((long)powerPence, (long)(await chain.Balance(LocalChain.PowerVenue) - venue0));
        Assert.Equal((long)(completed.Sum(c => c.LoanFeeGbp) * 100m), (long)(await chain.Balance(chain.Lender) - float0));
    }
}
