using System.Diagnostics.Metrics;

namespace Phoenyra.Trading;

/// <summary>Trading instruments. Price and position gauges are observed from engine snapshots (see MarketGauges).</summary>
internal static class TradingMetrics
{
    public static readonly Meter Meter = new("Phoenyra.Trading");

    public static readonly Counter<long> Orders = Meter.CreateCounter<long>(
        "pho_orders_total", description: "Orders accepted by the engine, by market and final status of the submit.");

    public static readonly Counter<long> Denials = Meter.CreateCounter<long>(
        "pho_risk_denials_total", description: "Orders denied by the risk engine, by market and reason code.");

    public static readonly Counter<long> Trades = Meter.CreateCounter<long>(
        "pho_trades_total", description: "Trades executed, by market.");

    public static readonly Counter<long> PriceEvents = Meter.CreateCounter<long>(
        "pho_price_events_total", description: "Price updates (reference ticks and trades), by market.");

    public static readonly Histogram<double> JournalCommit = Meter.CreateHistogram(
        "pho_journal_commit_seconds", unit: "s", description: "Time to write and fsync one journal batch.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });

    public static readonly Histogram<int> JournalBatch = Meter.CreateHistogram(
        "pho_journal_batch_orders", description: "Appends committed per journal transaction (group commit size).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024] });
}
