using System.Globalization;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Tests.Shared;

/// <summary>An order with sensible defaults (a 1 MW GTC limit buy on DE-ID-15 at 80 by alice); tests say only what matters.</summary>
internal sealed record OrderBuilder
{
    public string Market { get; init; } = "DE-ID-15";
    public OrderSide Side { get; init; } = OrderSide.Buy;
    public decimal Quantity { get; init; } = 1m;
    public decimal? Price { get; init; } = 80m;
    public OrderType Type { get; init; } = OrderType.Limit;
    public TimeInForce TimeInForce { get; init; } = TimeInForce.Gtc;
    public string Account { get; init; } = "alice";
    public bool IsPostOnly { get; init; }

    public static OrderBuilder Buy(decimal quantity = 1m, decimal? price = 80m) => new() { Side = OrderSide.Buy, Quantity = quantity, Price = price };
    public static OrderBuilder Sell(decimal quantity = 1m, decimal? price = 80m) => new() { Side = OrderSide.Sell, Quantity = quantity, Price = price };

    public OrderBuilder By(string account) => this with { Account = account };
    public OrderBuilder On(string market) => this with { Market = market };
    public OrderBuilder AtMarket(TimeInForce tif = TimeInForce.Ioc) => this with { Type = OrderType.Market, Price = null, TimeInForce = tif };
    public OrderBuilder PostOnly() => this with { IsPostOnly = true };

    public SubmitOrder Build() => new(Market, Side, Quantity, Price, Type, TimeInForce, Account, PostOnly: IsPostOnly);
}

/// <summary>policy.yaml text: generous defaults (nothing limits a test by accident) and per-market overrides.</summary>
internal sealed record PolicyBuilder
{
    public string TradingState { get; init; } = "active";
    public decimal MaxOrderMw { get; init; } = 50m;
    public decimal PriceBandEur { get; init; } = 100m;
    public decimal MaxExposureMwh { get; init; } = 100m;
    public double SubmitRatePerSecond { get; init; } = 100_000;
    public int SubmitBurst { get; init; } = 100_000;
    public IReadOnlyDictionary<string, decimal> MarketMaxOrderMw { get; init; } = new Dictionary<string, decimal>();

    public PolicyBuilder State(string state) => this with { TradingState = state };
    public PolicyBuilder MaxOrder(string market, decimal mw) => this with { MarketMaxOrderMw = new Dictionary<string, decimal>(MarketMaxOrderMw) { [market] = mw } };
    public PolicyBuilder Rate(double perSecond, int burst) => this with { SubmitRatePerSecond = perSecond, SubmitBurst = burst };

    public string Build()
    {
        string N(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        var yaml = $"""
            version: 1
            trading_state: {TradingState}
            defaults:
              max_order_mw: {N(MaxOrderMw)}
              max_order_notional_eur: 1000000
              price_band_eur: {N(PriceBandEur)}
              max_exposure_mwh: {N(MaxExposureMwh)}
              max_exposure_eur: 5000000
              submit_rate_per_second: {N(SubmitRatePerSecond)}
              submit_burst: {N(SubmitBurst)}
              key_rate_per_second: 100000
              key_burst: 100000

            """;
        if (MarketMaxOrderMw.Count > 0)
            yaml += "markets:\n" + string.Concat(MarketMaxOrderMw.Select(m => $"  {m.Key}:\n    max_order_mw: {N(m.Value)}\n"));
        return yaml;
    }
}

/// <summary>A telemetry reading as a device posts it (JSON body of /telemetry/bess): a healthy battery unless told otherwise.</summary>
internal sealed record TelemetryBuilder(double SocPercent = 50, double ActivePowerMw = 0, double TemperatureC = 20)
{
    public static TelemetryBuilder Healthy => new();

    public TelemetryBuilder Soc(double percent) => this with { SocPercent = percent };
    public TelemetryBuilder Temperature(double celsius) => this with { TemperatureC = celsius };

    public object Body => new { soc_percent = SocPercent, active_power_mw = ActivePowerMw, temperature_c = TemperatureC };
}
