using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;
using Phoenyra.Trading.Engine;

namespace Phoenyra.Trading.MarketData;

/// <summary>The seed's price and exposure gauges (label <c>market</c>), read from engine snapshots at scrape time.</summary>
internal sealed class MarketGauges : IMetricSet
{
    public MarketGauges(Exchange exchange, IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Trading.Markets");
        void Gauge(string name, string description, Func<MarketSnapshot, decimal?> read) =>
            meter.CreateObservableGauge(name, () => exchange.Engines
                .Select(e => e.Snapshot)
                .Where(s => read(s) is not null)
                .Select(s => new Measurement<double>((double)read(s)!.Value, new KeyValuePair<string, object?>("market", s.Market))),
                description: description);

        Gauge("pho_mark", "Mark price in EUR/MWh: a recent last trade clamped into bid/ask, else mid, else reference.", s => s.Mark);
        Gauge("pho_ema", "Exponential moving average of trade prices, EUR/MWh.", s => s.Ema);
        Gauge("pho_vwap", "Volume-weighted average trade price over the last 15 minutes, EUR/MWh.", s => s.Vwap);
        Gauge("pho_best_bid", "Best bid, EUR/MWh.", s => s.BestBid);
        Gauge("pho_best_ask", "Best ask, EUR/MWh.", s => s.BestAsk);
        Gauge("pho_position_mw", "Desk net position, MW of the product (positive long).", s => s.Position.NetQuantity);
        Gauge("pho_exposure_energy", "Desk exposure, MWh (|net| x product hours).", s => s.Position.ExposureEnergyMwh);
        Gauge("pho_exposure_notional", "Desk exposure at the mark, EUR.", s => s.Position.ExposureNotionalEur);
        Gauge("pho_pnl_realized", "Realized PnL, EUR.", s => s.Position.RealizedPnl);
        Gauge("pho_pnl_unrealized", "Unrealized PnL at the mark, EUR.", s => s.Position.UnrealizedPnl);
        Gauge("pho_resting_orders", "Orders resting in the book (including simulated liquidity).", s => s.RestingOrders);
    }
}
