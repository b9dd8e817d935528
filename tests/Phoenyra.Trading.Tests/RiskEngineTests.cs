using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Positions;
using Phoenyra.Trading.Risk;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Trading.Tests;

/// <summary>The risk engine on its own: policy, guards and throttles decide, no host, no book.</summary>
public sealed class RiskEngineTests
{
    private static readonly MarketSpec Spec = new MarketOptions { Id = "DE-ID-15", ProductHours = 0.25m }.ToSpec();
    private static readonly DateTimeOffset Now = new(2025, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static RiskEngine Engine(PolicyBuilder policy) =>
        new(PolicyParser.Parse(policy.Build(), [Spec.Id], 1, []), [Spec.Id]);

    private static OrderIntent Intent(OrderBuilder order)
    {
        var command = order.Build();
        Spec.TryLots(command.Quantity, out var lots);
        long? ticks = command.Price is { } p && Spec.TryTicks(p, out var t) ? t : null;
        return new OrderIntent(command.Account, command.Side, command.Type, lots, ticks);
    }

    private static RejectReason Check(RiskEngine risk, OrderBuilder order, Position? position = null) =>
        risk.Check(Spec, Intent(order), position ?? new Position(Spec), 80m, Now).Reason;

    private static TradingGuardChanged Guard(bool active, OrderSide? blocks = null, TradingState? state = null, double rate = 1.0) =>
        new("bess", "soc-low", active, blocks, rate, "SoC 12 % is below 15 %", Now, state);

    [Fact]
    public void Check_DeniesAnOrderAboveTheMarketsLimit_AndAcceptsOneAtIt()
    {
        var risk = Engine(new PolicyBuilder().MaxOrder("DE-ID-15", 5m));

        Assert.Equal(RejectReason.MaxOrderSize, Check(risk, OrderBuilder.Buy(5.1m)));
        Assert.Equal(RejectReason.None, Check(risk, OrderBuilder.Buy(5m)));
    }

    [Fact]
    public void Check_InReducingMode_AcceptsOnlyOrdersThatReduceThePosition()
    {
        var risk = Engine(new PolicyBuilder().State("reducing"));
        var longTwo = new Position(Spec);
        longTwo.Apply(OrderSide.Buy, 20, 8000);

        Assert.Equal(RejectReason.ReducingOnly, Check(risk, OrderBuilder.Buy(1m), longTwo));
        Assert.Equal(RejectReason.ReducingOnly, Check(risk, OrderBuilder.Sell(3m), longTwo)); // would flip to short
        Assert.Equal(RejectReason.None, Check(risk, OrderBuilder.Sell(2m), longTwo));
    }

    [Fact]
    public void AGuard_BlocksItsSide_UntilItIsReleased()
    {
        var risk = Engine(new PolicyBuilder());

        risk.Apply(Guard(active: true, blocks: OrderSide.Sell));
        var blocked = risk.Check(Spec, Intent(OrderBuilder.Sell()), new Position(Spec), 80m, Now);
        var buy = Check(risk, OrderBuilder.Buy());
        risk.Apply(Guard(active: false));

        Assert.Equal(RejectReason.SideBlocked, blocked.Reason);
        Assert.Equal("SELL blocked by bess: SoC 12 % is below 15 %", blocked.Message);
        Assert.Equal(RejectReason.None, buy);
        Assert.Equal(RejectReason.None, Check(risk, OrderBuilder.Sell()));
    }

    [Fact]
    public void TheStrictestState_Wins_AndIsExplainedByTheGuard()
    {
        var risk = Engine(new PolicyBuilder());

        risk.Apply(Guard(active: true, state: TradingState.Halted));
        var (reason, message) = risk.Check(Spec, Intent(OrderBuilder.Buy()), new Position(Spec), 80m, Now);

        Assert.Equal(TradingState.Halted, risk.TradingState);
        Assert.Equal(RejectReason.TradingHalted, reason);
        Assert.Contains("bess: SoC 12 % is below 15 %", message);
    }

    [Fact]
    public void AGuardsRateFactor_ShrinksTheMarketsBurst()
    {
        var risk = Engine(new PolicyBuilder().Rate(perSecond: 1, burst: 4));
        risk.Apply(Guard(active: true, rate: 0.5));

        var reasons = Enumerable.Range(0, 3).Select(_ => Check(risk, OrderBuilder.Buy())).ToList();

        Assert.Equal([RejectReason.None, RejectReason.None, RejectReason.RateLimited], reasons);
    }

    [Fact]
    public void APolicyReplacedWhole_AppliesToTheNextCheck()
    {
        var risk = Engine(new PolicyBuilder());
        Assert.Equal(RejectReason.None, Check(risk, OrderBuilder.Buy(10m)));

        risk.Apply(PolicyParser.Parse(new PolicyBuilder().MaxOrder("DE-ID-15", 5m).Build(), [Spec.Id], 2, []));

        Assert.Equal(RejectReason.MaxOrderSize, Check(risk, OrderBuilder.Buy(10m)));
    }
}

/// <summary>A battery's guards act on the markets the battery delivers into, nowhere else.</summary>
public sealed class MarketScopedGuardTests
{
    private static readonly MarketSpec Intraday = new MarketOptions { Id = "DE-ID-15", ProductHours = 0.25m }.ToSpec();
    private static readonly MarketSpec GbSpot = new MarketOptions { Id = "GB-SPOT-30", ProductHours = 0.5m, Currency = "GBP" }.ToSpec();
    private static readonly MarketSpec Futures = new MarketOptions { Id = "DE-BASE-FUT", Role = MarketRole.Futures, ProductHours = 1m }.ToSpec();
    private static readonly DateTimeOffset Now = new(2025, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Ids = [Intraday.Id, GbSpot.Id, Futures.Id];

    private static RiskEngine Engine() => new(PolicyParser.Parse(new PolicyBuilder().Build(), Ids, 1, []), Ids);

    private static TradingGuardChanged SocLow(params string[]? markets) =>
        new("bess", "soc-low", true, OrderSide.Sell, 1.0, "SoC 12 % is below 15 %", Now, null, markets);

    private static RejectReason Sell(RiskEngine risk, MarketSpec spec, Position? position = null) =>
        risk.Check(spec, new OrderIntent("trader", OrderSide.Sell, OrderType.Limit, 10, spec.RoundToTick(80m)), position ?? new Position(spec), 80m, Now).Reason;

    [Fact]
    public void ASiteGuard_BlocksSellOnItsMarkets_AndNotOnAnotherCountrysSpotMarket()
    {
        var risk = Engine();

        risk.Apply(SocLow(Intraday.Id));
        var (reason, message) = risk.Check(Intraday, new OrderIntent("trader", OrderSide.Sell, OrderType.Limit, 10, Intraday.RoundToTick(80m)), new Position(Intraday), 80m, Now);

        Assert.Equal(RejectReason.SideBlocked, reason);
        Assert.Equal("SELL blocked in DE-ID-15 by bess: SoC 12 % is below 15 %", message);
        Assert.Equal(RejectReason.None, Sell(risk, GbSpot));
        Assert.Equal(RejectReason.None, Sell(risk, Futures));
        Assert.Equal(OrderSide.Sell, risk.GuardsFor(Intraday.Id).Blocking(OrderSide.Sell)?.BlockedSide);
        Assert.Null(risk.GuardsFor(GbSpot.Id).Blocking(OrderSide.Sell));
    }

    [Fact]
    public void AStaleSiteGuard_PutsItsMarketsInReducing_AndLeavesTheDeskActive()
    {
        var risk = Engine();

        risk.Apply(new TradingGuardChanged("bess", "telemetry-stale", true, null, 1.0, "no telemetry", Now, TradingState.Reducing, [Intraday.Id]));

        Assert.Equal(TradingState.Reducing, risk.TradingStateOf(Intraday.Id));
        Assert.Equal(TradingState.Active, risk.TradingStateOf(GbSpot.Id));
        Assert.Equal(TradingState.Active, risk.TradingState);
        Assert.Equal(RejectReason.ReducingOnly, Sell(risk, Intraday));
        Assert.Equal(RejectReason.None, Sell(risk, GbSpot));
    }

    [Theory]
    [InlineData("DE-BASE-FUT")]
    [InlineData("DE-ID-15")]
    public void ASideGuard_NeverRefusesAnOrderThatOnlyClosesPartOfThePosition_ButRefusesOneThatWouldOpenTheBlockedSide(string market)
    {
        var spec = market == Futures.Id ? Futures : Intraday;
        var risk = Engine();
        risk.Apply(SocLow(spec.Id));
        var longOne = new Position(spec);
        longOne.Apply(OrderSide.Buy, 10, 8000);
        RejectReason SellLots(long lots, Position position) =>
            risk.Check(spec, new OrderIntent("trader", OrderSide.Sell, OrderType.Limit, lots, spec.RoundToTick(80m)), position, 80m, Now).Reason;

        Assert.Equal(RejectReason.None, SellLots(10, longOne)); // sells back the 1 MW long: nothing to discharge
        Assert.Equal(RejectReason.SideBlocked, SellLots(11, longOne)); // would end 0.1 MW short
        Assert.Equal(RejectReason.SideBlocked, SellLots(10, new Position(spec))); // flat: a sale opens a short
    }

    [Fact]
    public void ADeskWideGuard_StillActsOnEveryMarket()
    {
        var risk = Engine();

        risk.Apply(SocLow(null));

        Assert.All(new[] { Intraday, GbSpot, Futures }, spec => Assert.Equal(RejectReason.SideBlocked, Sell(risk, spec)));
    }
}
