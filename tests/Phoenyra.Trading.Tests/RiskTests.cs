using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Tests;

public sealed class RiskTests
{
    private static string PolicyWith(string state = "active", string defaultsExtra = "") => TradingHost.Policy.Replace("trading_state: active", $"trading_state: {state}") + defaultsExtra;

    [Fact]
    public async Task OversizeOrder_IsDeniedWithReasonCodeAndSentence_PerMarketLimit()
    {
        await using var host = await TradingHost.Start();

        var big15 = await host.Limit(OrderSide.Buy, 30m, 80m);
        var big60 = await host.Limit(OrderSide.Buy, 30m, 80m, market: "DE-ID-60");

        Assert.Equal(RejectReason.MaxOrderSize, big15.Reason);
        Assert.Equal("30 MW exceeds the DE-ID-15 limit of 25 MW per order.", big15.Message!.Replace("30.0", "30"));
        Assert.Equal(OrderStatus.Accepted, big60.Status); // DE-ID-60 uses the 50 MW default
    }

    [Fact]
    public async Task PriceFarFromTheMark_IsDeniedByTheBand()
    {
        await using var host = await TradingHost.Start();
        await host.Limit(OrderSide.Sell, 1m, 90m, account: "bob");
        await host.Limit(OrderSide.Buy, 1m, 90m); // mark = 90

        var far = await host.Limit(OrderSide.Buy, 1m, 250m);

        Assert.Equal(RejectReason.PriceBand, far.Reason);
        Assert.Contains("mark 90", far.Message);
    }

    [Fact]
    public async Task RestingBids_CountTowardsTheExposureLimit_InTheWorstCase()
    {
        // DE-ID-60: 1 h products, 100 MWh limit; nothing to trade against, so every bid rests.
        await using var host = await TradingHost.Start();
        var resting = new List<OrderResult>();
        for (var i = 0; i < 3; i++) resting.Add(await host.Limit(OrderSide.Buy, 30m, 40m + i, market: "DE-ID-60"));

        var fourth = await host.Limit(OrderSide.Buy, 30m, 45m, market: "DE-ID-60");
        var sell = await host.Limit(OrderSide.Sell, 30m, 90m, market: "DE-ID-60"); // the other side does not add to the bids' worst case
        await host.Bus.Send(new CancelOrder(resting[0].OrderId!.Value, "alice"));
        var afterCancel = await host.Limit(OrderSide.Buy, 30m, 45m, market: "DE-ID-60");

        Assert.All(resting, r => Assert.Equal(OrderStatus.Accepted, r.Status));
        Assert.Equal(RejectReason.MaxExposureEnergy, fourth.Reason);
        Assert.Equal("The DE-ID-60 position would reach 120 MWh if it and the open buy orders (90 MW) all fill, above the 100 MWh limit.", fourth.Message);
        Assert.Equal(OrderStatus.Accepted, sell.Status);
        Assert.Equal(OrderStatus.Accepted, afterCancel.Status);
    }

    [Fact]
    public async Task ReduceOnly_CountsTheAccountsOpenOrdersOnTheSameSide()
    {
        await using var host = await TradingHost.Start();
        await host.Limit(OrderSide.Sell, 2m, 50m, account: "bob");
        Assert.Equal(OrderStatus.Filled, (await host.Limit(OrderSide.Buy, 2m, 50m, tif: TimeInForce.Ioc)).Status); // alice is long 2 MW
        await host.Limit(OrderSide.Buy, 5m, 45m, account: "bob"); // a bid a reducing sell could hit
        Assert.Equal(OrderStatus.Accepted, (await host.Limit(OrderSide.Sell, 1.5m, 90m)).Status); // alice already offers 1.5 MW

        SubmitOrder ReduceOnlySell(decimal mw) => new("DE-ID-15", OrderSide.Sell, mw, 45m, OrderType.Limit, TimeInForce.Ioc, "alice", ReduceOnly: true);
        var tooMuch = await host.Bus.Send(ReduceOnlySell(1m));
        var fits = await host.Bus.Send(ReduceOnlySell(0.5m));

        Assert.Equal(RejectReason.ReduceOnlyWouldIncrease, tooMuch.Reason);
        Assert.Equal(OrderStatus.Filled, fits.Status);
    }

    [Fact]
    public async Task OpenOrders_AreCappedPerKeyAndMarket()
    {
        await using var host = await TradingHost.Start(TradingHost.Policy.Replace("  key_burst: 100000", "  key_burst: 100000\n  max_open_orders: 3"));
        for (var i = 0; i < 3; i++) Assert.Equal(OrderStatus.Accepted, (await host.Limit(OrderSide.Buy, 1m, 40m + i)).Status);

        var fourth = await host.Limit(OrderSide.Buy, 1m, 45m);
        var otherKey = await host.Limit(OrderSide.Buy, 1m, 45m, account: "bob");
        var otherMarket = await host.Limit(OrderSide.Buy, 1m, 45m, market: "DE-ID-60");

        Assert.Equal(RejectReason.MaxOpenOrders, fourth.Reason);
        Assert.Contains("already has 3 open orders in DE-ID-15 (limit 3)", fourth.Message);
        Assert.Equal(OrderStatus.Accepted, otherKey.Status);
        Assert.Equal(OrderStatus.Accepted, otherMarket.Status);
    }

    [Fact]
    public async Task Exposure_StopsGrowingAtTheLimit_ButReducingOrdersPass()
    {
        // DE-ID-60: 1 h products, 100 MWh limit; the counterparty is the simulated market maker (not the desk).
        await using var host = await TradingHost.Start(marketMaker: true);
        var engine = host.Engine("DE-ID-60");
        for (var i = 0; i < 20; i++)
        {
            engine.SetReference(50m); // fresh quotes; the loop runs this before the order below
            await host.Limit(OrderSide.Buy, 5m, 50.2m, tif: TimeInForce.Ioc, market: "DE-ID-60");
        }
        var position = engine.Snapshot.Position;

        engine.SetReference(50m);
        var more = await host.Limit(OrderSide.Buy, 5m, 50.2m, tif: TimeInForce.Ioc, market: "DE-ID-60");
        var less = await host.Limit(OrderSide.Sell, 5m, 49.8m, tif: TimeInForce.Ioc, market: "DE-ID-60");

        Assert.Equal(100m, position.NetQuantity);
        Assert.Equal(100m, position.ExposureEnergyMwh);
        Assert.Equal(RejectReason.MaxExposureEnergy, more.Reason);
        Assert.Equal(OrderStatus.Filled, less.Status);
        Assert.Equal(95m, engine.Snapshot.Position.NetQuantity);
    }

    [Fact]
    public async Task Halted_DeniesNewOrders_ButCancelsStillWork()
    {
        await using var host = await TradingHost.Start();
        var resting = await host.Limit(OrderSide.Buy, 1m, 80m);
        await File.WriteAllTextAsync(host.PolicyPath, PolicyWith("halted"));
        var reload = await host.Services.GetRequiredService<PolicyReloader>().Reload("test");

        var denied = await host.Limit(OrderSide.Buy, 1m, 80m);
        var cancelled = await host.Bus.Send(new CancelOrder(resting.OrderId!.Value, "alice"));

        Assert.True(reload.Applied);
        Assert.Equal(RejectReason.TradingHalted, denied.Reason);
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
    }

    [Fact]
    public async Task Reducing_AcceptsOnlyOrdersThatShrinkThePosition()
    {
        await using var host = await TradingHost.Start(marketMaker: true);
        host.Engine().SetReference(60m);
        await DemoPriceSourceTests.WaitFor(() => host.Engine().Snapshot.BestAsk is not null);
        await host.Limit(OrderSide.Buy, 2m, 60.2m); // long 2 MW against the simulated maker
        await File.WriteAllTextAsync(host.PolicyPath, PolicyWith("reducing"));
        await host.Services.GetRequiredService<PolicyReloader>().Reload("test");

        var grow = await host.Limit(OrderSide.Buy, 1m, 59m);
        var flip = await host.Limit(OrderSide.Sell, 3m, 61m);
        var shrink = await host.Limit(OrderSide.Sell, 1m, 61m);

        Assert.Equal(RejectReason.ReducingOnly, grow.Reason);
        Assert.Equal(RejectReason.ReducingOnly, flip.Reason);
        Assert.Equal(OrderStatus.Accepted, shrink.Status);
    }

    [Fact]
    public async Task SideGuardOnTheBus_BlocksThatSide_UntilItIsLifted()
    {
        await using var host = await TradingHost.Start();
        var on = new TradingGuardChanged("bess", "soc-low", true, OrderSide.Sell, 1.0, "SoC 12 % is below 15 %", DateTimeOffset.UtcNow);

        await host.Bus.Publish(on);
        var sell = await host.Limit(OrderSide.Sell, 1m, 90m);
        var buy = await host.Limit(OrderSide.Buy, 1m, 80m);
        await host.Bus.Publish(on with { Active = false });
        var sellAgain = await host.Limit(OrderSide.Sell, 1m, 90m);

        Assert.Equal(RejectReason.SideBlocked, sell.Reason);
        Assert.Contains("bess: SoC 12 % is below 15 %", sell.Message);
        Assert.Equal(OrderStatus.Accepted, buy.Status);
        Assert.Equal(OrderStatus.Accepted, sellAgain.Status);
    }

    [Fact]
    public async Task RateLimit_PerMarketBucket_AndAGuardHalvesIt()
    {
        var policy = TradingHost.Policy.Replace("submit_rate_per_second: 100000", "submit_rate_per_second: 0.001").Replace("submit_burst: 100000", "submit_burst: 4");
        await using var host = await TradingHost.Start(policy);
        await host.Bus.Publish(new TradingGuardChanged("bess", "hot", true, null, 0.5, "41 °C", DateTimeOffset.UtcNow));

        var results = new List<OrderResult>();
        for (var i = 0; i < 4; i++) results.Add(await host.Limit(OrderSide.Buy, 1m, 80m));

        Assert.Equal([OrderStatus.Accepted, OrderStatus.Accepted, OrderStatus.Rejected, OrderStatus.Rejected], results.Select(r => r.Status));
        Assert.Equal(RejectReason.RateLimited, results[2].Reason);
        Assert.Contains("reduced to 50 % by an active guard", results[2].Message);
    }

    [Fact]
    public async Task InvalidPolicyReload_KeepsTheOldPolicy_ReturnsTheError_AndIsAudited()
    {
        await using var host = await TradingHost.Start();
        var manager = host.Services.GetRequiredService<PolicyReloader>();
        var risk = host.Services.GetRequiredService<RiskEngine>();
        var before = risk.Policy;

        await File.WriteAllTextAsync(host.PolicyPath, TradingHost.Policy.Replace("max_order_mw: 50", "max_order_mw: -5").Replace("trading_state: active", "trading_state: sleepy"));
        var result = await manager.Reload("ops-admin");

        Assert.False(result.Applied);
        Assert.Contains("trading_state: 'sleepy' is not one of active, reducing, halted", result.Error);
        Assert.Contains("defaults.max_order_mw: is -5; it must be greater than 0", result.Error);
        Assert.Same(before, risk.Policy);
        Assert.Equal(OrderStatus.Accepted, (await host.Limit(OrderSide.Buy, 1m, 80m)).Status);
        var audit = await host.Services.GetRequiredService<IAuditLog>().Query(new AuditQuery(Actor: "ops-admin", Action: "policy.reload"));
        Assert.StartsWith("rejected:", Assert.Single(audit).Result);
    }

    [Fact]
    public async Task ValidReload_BumpsTheVersion_AndTheFileWatcherPicksUpEdits()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TradingHost.Start(clock: clock);
        var risk = host.Services.GetRequiredService<RiskEngine>();
        var first = risk.Policy.Version;

        await File.WriteAllTextAsync(host.PolicyPath, TradingHost.Policy.Replace("max_order_mw: 25", "max_order_mw: 10"));
        // The watcher's event arrives in its own time; the reload waits out a 300 ms debounce on the desk's clock.
        await DemoPriceSourceTests.WaitFor(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            return risk.Policy.Version > first;
        });

        Assert.Equal(10m, risk.Policy.For("DE-ID-15").MaxOrderMw);
        Assert.Equal(RejectReason.MaxOrderSize, (await host.Limit(OrderSide.Buy, 12m, 80m)).Reason);
        var audit = await host.Services.GetRequiredService<IAuditLog>().Query(new AuditQuery(Actor: "file-watch"));
        Assert.Equal("ok", Assert.Single(audit).Result);
    }

    [Fact]
    public void PolicyParser_RejectsUnknownKeysAndMarkets_WithTheirPath()
    {
        var typo = Assert.Throws<PolicyParser.PolicyException>(() => PolicyParser.Parse(TradingHost.Policy.Replace("max_order_mw: 50", "max_order_mws: 50"), ["DE-ID-15"], 1, []));
        var market = Assert.Throws<PolicyParser.PolicyException>(() => PolicyParser.Parse(TradingHost.Policy, ["DE-ID-60"], 1, []));

        Assert.Contains("line", typo.Message);
        Assert.Contains("max_order_mws", typo.Message);
        Assert.Contains("markets.DE-ID-15: no such market", market.Message);
    }

    [Fact]
    public void PolicyParser_LeavesARegisteredSectionToItsModule_AndRefusesAnUnregisteredOne()
    {
        const string section = "battery_limits:\n  max_soc: 95\n";
        var yaml = section + TradingHost.Policy.Replace("max_order_mw: 25", "max_order_mwx: 25");

        var withTypo = Assert.Throws<PolicyParser.PolicyException>(() => PolicyParser.Parse(yaml, ["DE-ID-15"], 1, [new FixedSection("battery_limits")]));
        var policy = PolicyParser.Parse(section + TradingHost.Policy, ["DE-ID-15"], 1, [new FixedSection("battery_limits")]);
        var unregistered = Assert.Throws<PolicyParser.PolicyException>(() => PolicyParser.Parse(section + TradingHost.Policy, ["DE-ID-15"], 1, []));

        Assert.Contains("line 17", withTypo.Message); // the typo's own line, although the section before it was blanked
        Assert.Equal("parsed battery_limits", policy.Sections["battery_limits"]);
        Assert.Contains("battery_limits", unregistered.Message);
    }

    private sealed class FixedSection(string name) : Core.Policy.IPolicySection
    {
        public string Name => name;
        public Core.Policy.PolicySectionResult Parse(string yaml) => new($"parsed {name}", []);
    }
}
