using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>
/// One cycle on two GBP markets of a real desk (risk engine, books, journal), the simulated maker
/// quoting 0.2 either side of each reference: spot at 80 (ask 80.20), futures at 83 (bid 82.80).
/// </summary>
public sealed class FlashArbCycleTests(LocalChain chain) : IAsyncLifetime, IClassFixture<LocalChain>
{
    private const string Spot = "GB-SPOT-30", Futures = "GB-BASE-M", Account = "flash-arb";
    private TestDesk? _desk;

    private IBus Bus => _desk!.Bus;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>The desk, with <paramref name="futuresMaxExposureMwh"/> as GB-BASE-M's exposure limit.</summary>
    private async Task Start(decimal futuresMaxExposureMwh = 1000m)
    {
        _desk = await TestDesk.Start(TestDesk.GbMarkets(), $"  GB-BASE-M:\n    max_exposure_mwh: {futuresMaxExposureMwh}\n");
        await Prices(80m, 83m);
    }

    public async Task DisposeAsync()
    {
        if (_desk is not null) await _desk.DisposeAsync();
    }

    private async Task Prices(decimal spot, decimal futures)
    {
        await Bus.Publish(new ReferencePriceUpdated(Spot, spot, DateTimeOffset.UtcNow, "test"));
        await Bus.Publish(new ReferencePriceUpdated(Futures, futures, DateTimeOffset.UtcNow, "test"));
        // The references reach the books on the markets' loops: wait until both touches moved.
        for (var i = 0; i < 500; i++)
        {
            var s = await Bus.Send(new GetMarketInfo(Spot));
            var f = await Bus.Send(new GetMarketInfo(Futures));
            if (s?.BestAsk == spot + 0.2m && f?.BestBid == futures - 0.2m) return;
            await Task.Delay(10);
        }
        Assert.Fail("the simulated maker did not re-quote");
    }

    private FlashArbCycle Cycle(IFlashLender lender, ILeg? futures = null, params (string, string)[] settings)
    {
        var values = new Dictionary<string, string?> { ["ALLOW_WEEKEND_TRADING"] = "1", ["TRADING_WINDOW_UTC"] = "00:00-00:00" };
        foreach (var (k, v) in settings) values[k] = v;
        var parsed = FlashArbSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        return new FlashArbCycle(parsed, new DeskLeg(Bus, Spot, Account), futures ?? new DeskLeg(Bus, Futures, Account), lender,
            _desk!.Services.GetRequiredService<FlashArbMetrics>(), NullLogger.Instance);
    }

    private async Task<decimal> Net(string market) =>
        (await _desk!.Trading.AccountPositions(Account)).SingleOrDefault(p => p.Position.Market == market)?.Position.NetQuantity ?? 0m;

    [Fact]
    public async Task AProfitableSpread_BuysPower_SellsFutures_AndTheLoanSettlesForItsFee()
    {
        await Start();
        var lender = new InProcessFlashLender(100_000m, 5m);

        var result = await Cycle(lender).Run(DateTimeOffset.UtcNow, 0, default);

        Assert.Equal(CycleOutcome.Completed, result.Outcome);
        Assert.Equal([("GB-SPOT-30", "buy", 5m, 80.2m), ("GB-BASE-M", "sell", 5m, 82.8m)], result.Legs.Select(l => (l.Venue, l.Side, l.Quantity, l.AveragePrice!.Value)));
        // 5 MW x 0.5 h = 2.5 MWh: paid 80.20 x 1.0005, received 82.80 x 0.9995, the loan's 5 bps on 200.60.
        Assert.Equal(0.10m, result.LoanFeeGbp);
        Assert.Equal(Math.Round(2.5m * 82.8m * 0.9995m - 2.5m * 80.2m * 1.0005m, 2) - 0.10m, result.ProfitGbp);
        Assert.Equal(0.10m, lender.Earned);
        Assert.StartsWith("local-", result.LoanTransaction);
        Assert.Equal((5m, -5m), (await Net(Spot), await Net(Futures)));
    }

    [Fact]
    public async Task ASpreadBelowTheMinimum_TradesNothing()
    {
        await Start();
        await Prices(80m, 80.9m); // 80.70 x 0.9995 - 80.20 x 1.0005 - loan fee ≈ 0.39 < 0.5

        var result = await Cycle(new InProcessFlashLender(100_000m, 5m)).Run(DateTimeOffset.UtcNow, 0, default);

        Assert.Equal(CycleOutcome.Skipped, result.Outcome);
        Assert.Contains("below SPREAD_MIN 0.5", result.Problem);
        Assert.Empty(result.Legs);
        Assert.Equal(0m, await Net(Spot));
    }

    [Fact]
    public async Task AFuturesLegTheRiskEngineRefuses_UnwindsThePowerLeg()
    {
        await Start(futuresMaxExposureMwh: 2m); // the 2.5 MWh futures sale is refused: max_exposure_energy

        var result = await Cycle(new InProcessFlashLender(100_000m, 5m)).Run(DateTimeOffset.UtcNow, 0, default);

        Assert.Equal(CycleOutcome.UnwoundFuturesLeg, result.Outcome);
        Assert.Equal(0m, await Net(Spot));
        Assert.Contains(result.Legs, l => l.Venue == Spot && l.Side == "sell" && l.Quantity == 5m);
        Assert.True(result.ProfitGbp < 0); // the round trip paid the spread and the fees
        Assert.Null(result.LoanTransaction);
    }

    [Fact]
    public async Task ASettlementThatReverts_UnwindsBothLegs_AndTheLenderKeepsItsFloat()
    {
        await Start();
        var lender = new InProcessFlashLender(100_000m, 5m);
        var drainingFutures = new DrainAfterTrade(new DeskLeg(Bus, Futures, Account), lender);

        var result = await Cycle(lender, drainingFutures).Run(DateTimeOffset.UtcNow, 0, default);

        Assert.Equal(CycleOutcome.UnwoundSettlement, result.Outcome);
        Assert.Equal("settlement_failed", result.BlockedBy);
        Assert.Contains("maxFlashLoan", result.Problem);
        Assert.Equal((0m, 0m), (await Net(Spot), await Net(Futures)));
        Assert.Equal(0m, lender.Earned);
    }

    [Fact]
    public async Task OutsideTheWindow_NoMarketDataIsRead_AndNothingTrades()
    {
        await Start();
        var countingFutures = new DrainAfterTrade(new DeskLeg(Bus, Futures, Account), null);
        var cycle = Cycle(new InProcessFlashLender(100_000m, 5m), countingFutures, ("TRADING_WINDOW_UTC", "05:00-06:00"));

        var result = await cycle.Run(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), 0, default);

        Assert.Equal((CycleOutcome.Blocked, "outside_window"), (result.Outcome, result.BlockedBy));
        Assert.Equal(0, countingFutures.Quotes);
    }

    [Fact]
    public async Task OnTheLocalChain_ACycleSettlesThroughTheContracts_AndTheBalancesMatchTheCycle()
    {
        await Start();
        var lender = new Web3FlashLender(chain.Rpc, chain.Lender, chain.Borrower, LocalChain.DeskKey, LocalChain.PowerVenue, chain.Desk);
        var float0 = await chain.Balance(chain.Lender);
        var venue0 = await chain.Balance(LocalChain.PowerVenue);

        var result = await Cycle(lender).Run(DateTimeOffset.UtcNow, 0, default);

        Assert.True(result.Outcome == CycleOutcome.Completed, result.Problem);
        Assert.Matches("^0x[0-9a-f]{64}$", result.LoanTransaction);
        // The power venue got the power leg's cost (2.5 MWh at 80.20 plus the venue fee), the lender its 5 bps, in pence.
        var paid = (long)(await chain.Balance(LocalChain.PowerVenue) - venue0);
        Assert.Equal((long)Math.Round(2.5m * 80.2m * 1.0005m * 100m, MidpointRounding.ToPositiveInfinity), paid);
        Assert.Equal((long)(result.LoanFeeGbp * 100m), (long)(await chain.Balance(chain.Lender) - float0));
        Assert.Equal(0.11m, result.LoanFeeGbp); // 5 bps of 200.61, rounded up to the penny on chain
        Assert.Equal((5m, -5m), (await Net(Spot), await Net(Futures)));
    }

    [Fact]
    public async Task OnTheLocalChain_ASettlementTheFuturesVenueCannotFund_RevertsOnChain_AndBothLegsAreUnwound()
    {
        await Start();
        await chain.ApproveBorrower(0);
        try
        {
            var lender = new Web3FlashLender(chain.Rpc, chain.Lender, chain.Borrower, LocalChain.DeskKey, LocalChain.PowerVenue, chain.Desk);
            var float0 = await chain.Balance(chain.Lender);
            var venue0 = await chain.Balance(LocalChain.PowerVenue);

            var result = await Cycle(lender).Run(DateTimeOffset.UtcNow, 0, default);

            Assert.Equal((CycleOutcome.UnwoundSettlement, "settlement_failed"), (result.Outcome, result.BlockedBy));
            Assert.Contains("reverted on chain", result.Problem);
            Assert.Equal((float0, venue0), (await chain.Balance(chain.Lender), await chain.Balance(LocalChain.PowerVenue)));
            Assert.Equal((0m, 0m), (await Net(Spot), await Net(Futures)));
        }
        finally
        {
            await chain.ApproveBorrower(100_000_000);
        }
    }

    /// <summary>The real futures leg; after it trades, treasury withdraws the lender's float (so the settlement that follows cannot be funded).</summary>
    private sealed class DrainAfterTrade(ILeg inner, InProcessFlashLender? lender) : ILeg
    {
        public int Quotes { get; private set; }

        public string Name => inner.Name;

        public Task<LegQuote?> Quote(CancellationToken ct)
        {
            Quotes++;
            return inner.Quote(ct);
        }

        public async Task<LegFill> Trade(OrderSide side, decimal quantity, decimal? limit, string clientOrderId, CancellationToken ct)
        {
            var fill = await inner.Trade(side, quantity, limit, clientOrderId, ct);
            if (side == OrderSide.Sell) lender?.Withdraw(100_000m);
            return fill;
        }
    }
}
