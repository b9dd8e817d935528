using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Trading;

/// <summary>Trading instruments. Price and position gauges are observed from engine snapshots (see MarketGauges).</summary>
internal sealed class TradingMetrics : IMetricSet
{
    public TradingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Trading");
        Orders = meter.CreateCounter<long>(
            "pho_orders_total", description: "Orders accepted by the engine, by market and final status of the submit.");
        Denials = meter.CreateCounter<long>(
            "pho_risk_denials_total", description: "Orders denied by the risk engine, by market and reason code.");
        Trades = meter.CreateCounter<long>(
            "pho_trades_total", description: "Trades executed, by market.");
        PriceEvents = meter.CreateCounter<long>(
            "pho_price_events_total", description: "Price updates (reference ticks and trades), by market.");
        ReferencePricesRefused = meter.CreateCounter<long>(
            "pho_reference_prices_refused_total", description: "Reference prices outside the market's price band (a faulty feed), ignored, by market.");
        JournalCommit = meter.CreateHistogram(
            "pho_journal_commit_seconds", unit: "s", description: "Time to write and fsync one journal batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
        JournalFailures = meter.CreateCounter<long>(
            "pho_journal_failures_total", description: "Times the store refused a journal commit (the batch is held and retried; orders are refused meanwhile).");
        JournalBatch = meter.CreateHistogram<int>(
            "pho_journal_batch_orders", description: "Appends committed per journal transaction (group commit size).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024] });
    }

    public Counter<long> Orders { get; }
    public Counter<long> Denials { get; }
    public Counter<long> Trades { get; }
    public Counter<long> PriceEvents { get; }
    public Counter<long> ReferencePricesRefused { get; }
    public Histogram<double> JournalCommit { get; }
    public Histogram<int> JournalBatch { get; }
    public Counter<long> JournalFailures { get; }
}
