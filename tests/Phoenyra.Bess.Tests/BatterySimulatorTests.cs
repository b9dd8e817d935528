using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Simulation;
using Phoenyra.Bess.Sites;
using Phoenyra.Core.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Phoenyra.Bess.Tests;

public sealed class BatterySimulatorTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly SiteOptions Site = new() { Id = "site-1", PowerMw = 1, CapacityMwh = 2, ChargeEfficiency = 0.9, DischargeEfficiency = 0.8, SocMinPercent = 10, SocMaxPercent = 90 };

    private BatterySimulator Simulator(double initialSoc = 50) => new(null!,
        Options.Create(new SimulatorOptions { InitialSocPercent = initialSoc, AmbientC = 20, HeatAtFullPowerC = 10, ThermalTimeConstantSeconds = 600 }),
        Options.Create(new BessOptions { Sites = [Site] }), new Phoenyra.Core.Cluster.SingleDesk(new()), _clock, NullLogger<BatterySimulator>.Instance);

    private static TradeExecuted Trade(OrderSide aggressor, decimal mw, string taker = "desk", string maker = "sim-mm") =>
        new(new Trade(1, "DE-ID-15", 90m, mw, aggressor, 10, 11, maker, taker, DateTimeOffset.UtcNow));

    [Fact]
    public async Task SellFill_DischargesForOnePeriod_WithTheDischargeEfficiency()
    {
        var simulator = Simulator();
        await simulator.Handle(Trade(OrderSide.Sell, 1m), default);

        var reading = simulator.Step(TimeSpan.FromMinutes(15));

        // 1 MW for 0.25 h drawn through 80 % efficiency = 0.3125 MWh of 2 MWh = 15.625 % of SoC.
        Assert.Equal(50 - 15.625, reading.SocPercent!.Value, 3);
        Assert.Equal(1.0, reading.ActivePowerMw!.Value, 6);
        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(0, simulator.SetPointMw);
    }

    [Fact]
    public async Task BuyFill_Charges_WithTheChargeEfficiency_AndMarketMakerTradesAlone_DoNothing()
    {
        var simulator = Simulator();
        await simulator.Handle(Trade(OrderSide.Buy, 0.5m, taker: "sim-mm", maker: "sim-mm"), default);
        Assert.Equal(0, simulator.SetPointMw);

        await simulator.Handle(Trade(OrderSide.Buy, 1m), default);
        var reading = simulator.Step(TimeSpan.FromMinutes(15));

        Assert.Equal(50 + 1 * 0.25 * 0.9 / 2 * 100, reading.SocPercent!.Value, 3);
        Assert.Equal(-1.0, reading.ActivePowerMw!.Value, 6);
    }

    [Fact]
    public async Task SocWindow_CurtailsDelivery_AndHeatFollowsPower()
    {
        var simulator = Simulator(initialSoc: 12);
        await simulator.Handle(Trade(OrderSide.Sell, 1m), default);

        var reading = simulator.Step(TimeSpan.FromMinutes(15));

        Assert.Equal(10, reading.SocPercent!.Value, 6);
        Assert.True(reading.ActivePowerMw < 0.2, $"delivered {reading.ActivePowerMw} MW from a nearly empty battery");
        Assert.True(reading.TemperatureC > 20);
    }

    [Fact]
    public async Task TelemetryFromElsewhere_IsAdopted()
    {
        var simulator = Simulator();
        await simulator.Handle(new TelemetryReceived("site-1", 13.5, 0, 35, _clock.GetUtcNow(), "dashboard"), default);

        var reading = simulator.Step(TimeSpan.FromSeconds(1));

        Assert.Equal(13.5, reading.SocPercent!.Value, 3);
        Assert.InRange(reading.TemperatureC!.Value, 34.9, 35);
    }
}
