using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Benchmarks;

/// <summary>Recording a labelled measurement (the hot-path cost) and rendering a scrape.</summary>
[MemoryDiagnoser]
public class ExporterBenchmarks
{
    private Meter _meter = null!;
    private PrometheusExporter _exporter = null!;
    private Counter<long> _counter = null!;
    private Histogram<double> _histogram = null!;
    private static readonly KeyValuePair<string, object?> Market = new("market", "DE-ID-15");
    private static readonly KeyValuePair<string, object?> Side = new("side", "buy");

    [GlobalSetup]
    public void Setup()
    {
        _meter = new Meter("Phoenyra.Bench");
        _exporter = new PrometheusExporter("Phoenyra.Bench");
        _counter = _meter.CreateCounter<long>("pho_bench_orders_total", description: "bench");
        _histogram = _meter.CreateHistogram<double>("pho_bench_latency_seconds", description: "bench");
        for (var m = 0; m < 20; m++)
            for (var s = 0; s < 10; s++)
                _histogram.Record(0.001 * s, new KeyValuePair<string, object?>("market", $"M{m}"), new KeyValuePair<string, object?>("route", $"/r{s}"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void CounterAddTwoLabels() => _counter.Add(1, Market, Side);

    [Benchmark]
    public void HistogramRecordTwoLabels() => _histogram.Record(0.0042, Market, Side);

    [Benchmark]
    public int Scrape200HistogramSeries() => _exporter.Scrape().Length;
}
