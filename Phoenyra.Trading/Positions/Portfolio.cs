using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Positions;

/// <summary>Desk totals over every market: PnL in EUR, exposure in MWh and EUR at the marks (other currencies at <c>FxToEur</c>).</summary>
public sealed record PortfolioTotals(decimal RealizedPnl, decimal UnrealizedPnl, decimal ExposureEnergyMwh, decimal ExposureNotionalEur)
{
    /// <param name="toEur">EUR per unit of a market's currency, by market id.</param>
    public static PortfolioTotals Of(IEnumerable<PositionView> positions, Func<string, decimal> toEur)
    {
        decimal realized = 0, unrealized = 0, energy = 0, notional = 0;
        foreach (var p in positions)
        {
            var rate = toEur(p.Market);
            realized += p.RealizedPnl * rate;
            unrealized += p.UnrealizedPnl * rate;
            energy += p.ExposureEnergyMwh;
            notional += p.ExposureNotionalEur * rate;
        }
        return new PortfolioTotals(Math.Round(realized, 2), Math.Round(unrealized, 2), energy, Math.Round(notional, 2));
    }
}

/// <summary>
/// The desk's positions, one per market in configuration order. Each is changed only by its
/// market's loop (fills) and revalued there at every price move; readers see the last valuation.
/// </summary>
internal sealed class Portfolio
{
    private readonly Dictionary<string, Position> _byMarket;
    private readonly Dictionary<string, decimal> _toEur;
    private readonly Position[] _ordered;

    public Portfolio(IOptions<TradingOptions> options)
    {
        var settings = options.Value;
        _ordered = settings.Specs().Select(s => new Position(s)).ToArray();
        _byMarket = _ordered.ToDictionary(p => p.Market, StringComparer.Ordinal);
        _toEur = settings.Specs().ToDictionary(s => s.Id, s => settings.ToEur(s.Currency), StringComparer.Ordinal);
    }

    /// <summary>EUR per unit of the market's currency.</summary>
    public decimal ToEur(string market) => _toEur.GetValueOrDefault(market, 1m);

    public Position For(string market) => _byMarket[market];

    public IReadOnlyList<PositionView> Positions => _ordered.Select(p => p.Current).ToList();

    public PortfolioTotals Totals => PortfolioTotals.Of(Positions, ToEur);
}
