using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Positions;

/// <summary>Desk totals over every market: PnL in EUR, exposure in MWh and EUR at the marks.</summary>
public sealed record PortfolioTotals(decimal RealizedPnl, decimal UnrealizedPnl, decimal ExposureEnergyMwh, decimal ExposureNotionalEur)
{
    public static PortfolioTotals Of(IEnumerable<PositionView> positions)
    {
        decimal realized = 0, unrealized = 0, energy = 0, notional = 0;
        foreach (var p in positions)
        {
            realized += p.RealizedPnl;
            unrealized += p.UnrealizedPnl;
            energy += p.ExposureEnergyMwh;
            notional += p.ExposureNotionalEur;
        }
        return new PortfolioTotals(realized, unrealized, energy, notional);
    }
}

/// <summary>
/// The desk's positions, one per market in configuration order. Each is changed only by its
/// market's loop (fills) and revalued there at every price move; readers see the last valuation.
/// </summary>
internal sealed class Portfolio
{
    private readonly Dictionary<string, Position> _byMarket;
    private readonly Position[] _ordered;

    public Portfolio(IOptions<TradingOptions> options)
    {
        _ordered = options.Value.Specs().Select(s => new Position(s)).ToArray();
        _byMarket = _ordered.ToDictionary(p => p.Market, StringComparer.Ordinal);
    }

    public Position For(string market) => _byMarket[market];

    public IReadOnlyList<PositionView> Positions => _ordered.Select(p => p.Current).ToList();

    public PortfolioTotals Totals => PortfolioTotals.Of(Positions);
}
