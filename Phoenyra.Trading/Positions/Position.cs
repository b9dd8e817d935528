using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Positions;

/// <summary>
/// The desk's net position in one market: signed lots, average entry of the open part, realized
/// PnL from closed parts. PnL is price difference × energy (MW × product hours).
/// </summary>
internal sealed class Position
{
    private readonly MarketSpec spec;
    private volatile PositionView _current;

    public Position(MarketSpec spec)
    {
        this.spec = spec;
        _current = Revalue(null);
    }

    public string Market => spec.Id;

    /// <summary>The view at the last revaluation (written by the market's loop, read by anyone).</summary>
    public PositionView Current => _current;

    public long NetLots { get; private set; }
    public decimal AveragePrice { get; private set; }
    public decimal RealizedPnl { get; private set; }

    public void Apply(OrderSide side, long lots, long priceTicks)
    {
        var price = spec.Price(priceTicks);
        var signed = side == OrderSide.Buy ? lots : -lots;
        if (NetLots == 0 || Math.Sign(NetLots) == Math.Sign(signed))
        {
            var open = Math.Abs(NetLots);
            AveragePrice = (AveragePrice * open + price * lots) / (open + lots);
            NetLots += signed;
            return;
        }
        var closing = Math.Min(lots, Math.Abs(NetLots));
        RealizedPnl += (price - AveragePrice) * spec.Energy(closing) * Math.Sign(NetLots);
        NetLots += signed;
        if (NetLots == 0) AveragePrice = 0;
        else if (Math.Sign(NetLots) == Math.Sign(signed)) AveragePrice = price; // flipped: the rest opens at this price
    }

    public Snapshots.PositionData Capture() => new(NetLots, AveragePrice, RealizedPnl);

    public void Restore(Snapshots.PositionData d) => (NetLots, AveragePrice, RealizedPnl) = (d.NetLots, d.AveragePrice, d.RealizedPnl);

    /// <summary>Values the position at <paramref name="mark"/> and makes that the <see cref="Current"/> view.</summary>
    public PositionView Revalue(decimal? mark)
    {
        var energy = spec.Energy(Math.Abs(NetLots));
        var unrealized = mark is { } m && NetLots != 0 ? (m - AveragePrice) * spec.Energy(NetLots) : 0;
        return _current = new PositionView(
            spec.Id,
            spec.Quantity(NetLots),
            NetLots == 0 ? null : decimal.Round(AveragePrice, 4),
            decimal.Round(RealizedPnl, 2),
            decimal.Round(unrealized, 2),
            energy,
            mark is { } px ? decimal.Round(Math.Abs(px) * energy, 2) : 0,
            mark);
    }
}
