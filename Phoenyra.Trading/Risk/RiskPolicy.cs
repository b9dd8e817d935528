using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Risk;

/// <summary>Limits for one market (or the defaults): sizes in MW and MWh, money in EUR, rates per second.</summary>
public sealed record MarketLimits(
    decimal MaxOrderMw,
    decimal MaxOrderNotionalEur,
    decimal PriceBandEur,
    decimal MaxExposureMwh,
    decimal MaxExposureEur,
    double SubmitRatePerSecond,
    int SubmitBurst,
    double KeyRatePerSecond,
    int KeyBurst,
    int MaxOpenOrders = MarketLimits.DefaultMaxOpenOrders)
{
    /// <summary>Open orders one key may have in one market when the policy does not say.</summary>
    public const int DefaultMaxOpenOrders = 500;
}

/// <summary>An immutable, validated risk policy; replaced whole on reload.</summary>
public sealed record RiskPolicy(
    int Version,
    string Hash,
    TradingState TradingState,
    MarketLimits Defaults,
    IReadOnlyDictionary<string, MarketLimits> Markets,
    IReadOnlyDictionary<string, object> Sections)
{
    public MarketLimits For(string market) => Markets.TryGetValue(market, out var limits) ? limits : Defaults;
}
