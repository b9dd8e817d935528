using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// Document 004's fifteen gauges, named exactly as there (label <c>instrument</c> = the market, and
/// <c>strategy</c> = the instance), so its dashboards and alerts work. The <c>_usdt</c> names are the
/// seed's; the values are in the market's currency, EUR.
/// </summary>
internal sealed class HedgeGridGauges : IMetricSet
{
    public HedgeGridGauges(StrategyRegistry registry, TimeProvider time, IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Strategies.HedgeGrid");
        void Gauge(string name, string description, Func<StrategyStatus, GridView, double> read) =>
            meter.CreateObservableGauge(name, () => registry.All
                .Where(i => i.Kind == StrategyKinds.HedgeGrid)
                .Select(i => (Status: i.Status, View: i.Status.View as GridView ?? GridView.Empty))
                .Select(s => new Measurement<double>(read(s.Status, s.View),
                    new KeyValuePair<string, object?>("instrument", s.Status.Market), new KeyValuePair<string, object?>("strategy", s.Status.Id))),
                description: description);

        Gauge("hedgegrid_long_inventory_usdt", "Long inventory at the mid, in EUR (the seed's name says USDT).", (_, v) => (double)v.Long.InventoryEur);
        Gauge("hedgegrid_short_inventory_usdt", "Short inventory at the mid, in EUR (the seed's name says USDT).", (_, v) => (double)v.Short.InventoryEur);
        Gauge("hedgegrid_net_inventory_usdt", "Net inventory (long - short) at the mid, in EUR (the seed's name says USDT).", (_, v) => (double)(v.Long.InventoryEur - v.Short.InventoryEur));
        Gauge("hedgegrid_active_rungs_long", "Long rungs with an entry resting in the book.", (_, v) => v.Rungs.Count(r => r.Side == GridSide.Long && r.State == "resting"));
        Gauge("hedgegrid_active_rungs_short", "Short rungs with an entry resting in the book.", (_, v) => v.Rungs.Count(r => r.Side == GridSide.Short && r.State == "resting"));
        Gauge("hedgegrid_open_orders", "The strategy's open orders (entries and take-profits).", (_, v) => v.Orders.Count);
        Gauge("hedgegrid_margin_ratio", "Exposure (long + short inventory) / the policy's max_exposure_eur for the market.", (_, v) => (double)v.Risk.MarginRatio);
        Gauge("hedgegrid_maker_ratio", "Maker fills / all fills (1 before the first fill).", (_, v) => (double)(v.Risk.MakerRatio ?? 1m));
        Gauge("hedgegrid_funding_rate_current", "Funding rate: always 0 on power markets (no funding); kept so a venue with funding can plug in.", (_, _) => 0);
        Gauge("hedgegrid_funding_cost_1h_projected_usdt", "Projected funding cost of the next hour: always 0 on power markets (no funding), EUR.", (_, _) => 0);
        Gauge("hedgegrid_realized_pnl_usdt", "Realized PnL of both legs, in EUR (the seed's name says USDT).", (_, v) => (double)v.Risk.RealizedPnl);
        Gauge("hedgegrid_unrealized_pnl_usdt", "Unrealized PnL of both legs at the mid, in EUR (the seed's name says USDT).", (_, v) => (double)v.Risk.UnrealizedPnl);
        Gauge("hedgegrid_total_pnl_usdt", "Realized + unrealized PnL, in EUR (the seed's name says USDT).", (_, v) => (double)v.Risk.TotalPnl);
        Gauge("hedgegrid_uptime_seconds", "Seconds since the strategy was started (0 while it is not running).", (s, _) => s.RunningSince is { } since ? (time.GetUtcNow() - since).TotalSeconds : 0);
        Gauge("hedgegrid_last_bar_timestamp", "Unix time of the last bar the strategy processed (0 before the first).", (s, _) => s.LastBar?.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
    }
}
