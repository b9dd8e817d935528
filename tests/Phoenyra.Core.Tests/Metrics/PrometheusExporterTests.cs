using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Core.Tests.Metrics;

public sealed class PrometheusExporterTests : IDisposable
{
    private readonly string _meterName = "Phoenyra.Test." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _meter = new Meter(_meterName);
        _exporter = new PrometheusExporter(_meterName);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void LabelsFromOutside_CannotGrowAFamilyPastItsCap_AndTheRefusalsAreCounted()
    {
        var requests = _meter.CreateCounter<long>("requests_total", description: "Requests.");

        for (var i = 0; i < MetricFamily.MaxSeries + 500; i++) requests.Add(1, Tag("path", $"/made-up/{i}"));
        requests.Add(1, Tag("path", "/made-up/7")); // a known series still counts

        var scrape = _exporter.Scrape();
        Assert.Equal(MetricFamily.MaxSeries, scrape.Split('\n').Count(l => l.StartsWith("requests_total{", StringComparison.Ordinal)));
        Assert.Contains("requests_total{path=\"/made-up/7\"} 2", scrape);
        Assert.Contains("pho_metrics_series_dropped_total{family=\"requests_total\"} 500", scrape);
    }

    [Fact]
    public void AGaugeWhoseCallbackThrows_DoesNotFailTheScrape()
    {
        var orders = _meter.CreateCounter<long>("orders_total", description: "Orders.");
        orders.Add(3);
        _meter.CreateObservableGauge<double>("broken_gauge", (Func<double>)(() => throw new ObjectDisposedException("engine")), description: "Owner shut down.");

        var text = _exporter.Scrape();

        Assert.Contains("orders_total 3", text);
    }

    [Fact]
    public void Counter_GetsTotalSuffix_HelpAndType_AndSumsIncrements()
    {
        var counter = _meter.CreateCounter<long>("pho_orders", description: "Orders seen.");
        counter.Add(2, Tag("market", "DE"));
        counter.Add(3, Tag("market", "DE"));

        Assert.Equal("""
            # HELP pho_orders_total Orders seen.
            # TYPE pho_orders_total counter
            pho_orders_total{market="DE"} 5

            """.Replace("\r", ""), _exporter.Scrape());
    }

    [Fact]
    public void LabelValues_EscapeBackslashQuoteAndNewline_AndHelpEscapesBackslashAndNewline()
    {
        var gauge = _meter.CreateUpDownCounter<double>("pho_weird", description: "line one\nline \\two");
        gauge.Add(1.5, Tag("path", "C:\\dir \"x\"\nnext"));

        var text = _exporter.Scrape();

        Assert.Contains("# HELP pho_weird line one\\nline \\\\two\n", text);
        Assert.Contains("pho_weird{path=\"C:\\\\dir \\\"x\\\"\\nnext\"} 1.5\n", text);
    }

    [Fact]
    public void Labels_AreSortedByName_SoTagOrderDoesNotSplitASeries()
    {
        var counter = _meter.CreateCounter<long>("pho_fills_total", description: "Fills.");
        counter.Add(1, Tag("side", "buy"), Tag("market", "DE"));
        counter.Add(1, Tag("market", "DE"), Tag("side", "buy"));

        var text = _exporter.Scrape();

        Assert.Contains("pho_fills_total{market=\"DE\",side=\"buy\"} 2\n", text);
        Assert.DoesNotContain("{side=", text);
    }

    [Fact]
    public void Names_WithDotsOrDashes_AreSanitisedForPrometheus()
    {
        _meter.CreateCounter<long>("pho.bad-name", description: "x").Add(1, Tag("bad.label", "v"));

        Assert.Contains("pho_bad_name_total{bad_label=\"v\"} 1\n", _exporter.Scrape());
    }

    [Fact]
    public void Histogram_WritesCumulativeBuckets_WithInclusiveUpperBounds_InfSumAndCount()
    {
        var histogram = _meter.CreateHistogram("pho_latency_seconds", unit: "s", description: "Latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1] });
        foreach (var value in new[] { 0.05, 0.1, 0.3, 0.7, 2.0 }) histogram.Record(value, Tag("route", "/api"));

        Assert.Equal("""
            # HELP pho_latency_seconds Latency.
            # TYPE pho_latency_seconds histogram
            pho_latency_seconds_bucket{route="/api",le="0.1"} 2
            pho_latency_seconds_bucket{route="/api",le="0.5"} 3
            pho_latency_seconds_bucket{route="/api",le="1"} 4
            pho_latency_seconds_bucket{route="/api",le="+Inf"} 5
            pho_latency_seconds_sum{route="/api"} 3.15
            pho_latency_seconds_count{route="/api"} 5

            """.Replace("\r", ""), _exporter.Scrape());
    }

    [Fact]
    public void Histogram_WithoutAdvice_UsesThePrometheusDefaultBuckets()
    {
        _meter.CreateHistogram<double>("pho_plain_seconds", description: "Plain.").Record(0.2);

        var buckets = _exporter.Scrape().Split('\n').Count(l => l.StartsWith("pho_plain_seconds_bucket", StringComparison.Ordinal));

        Assert.Equal(PrometheusExporter.DefaultBuckets.Length + 1, buckets);
    }

    [Fact]
    public void ObservableGauge_ReportsTheCurrentValue_AndDropsSeriesNoLongerObserved()
    {
        var markets = new Dictionary<string, double> { ["DE"] = 85.2, ["AT"] = 91 };
        _meter.CreateObservableGauge("pho_mark", () => markets.Select(m => new Measurement<double>(m.Value, Tag("market", m.Key))), description: "Mark.");

        var first = _exporter.Scrape();
        markets.Remove("AT");
        markets["DE"] = -12.5;
        var second = _exporter.Scrape();

        Assert.Contains("pho_mark{market=\"AT\"} 91\n", first);
        Assert.Contains("pho_mark{market=\"DE\"} -12.5\n", second);
        Assert.DoesNotContain("AT", second);
    }

    [Fact]
    public void Families_AreWrittenInNameOrder_AndUnusedInstrumentsAreOmitted()
    {
        _meter.CreateCounter<long>("pho_b", description: "b").Add(1);
        _meter.CreateCounter<long>("pho_a", description: "a").Add(1);
        _meter.CreateCounter<long>("pho_never", description: "never used");

        var text = _exporter.Scrape();

        Assert.True(text.IndexOf("pho_a_total", StringComparison.Ordinal) < text.IndexOf("pho_b_total", StringComparison.Ordinal));
        Assert.DoesNotContain("pho_never", text);
    }

    [Fact]
    public void SpecialValues_UsePrometheusSpelling()
    {
        var values = new[] { double.PositiveInfinity, double.NegativeInfinity, double.NaN };
        var i = 0;
        foreach (var v in values)
            _meter.CreateObservableGauge($"pho_special_{i++}", () => v, description: "s");

        var text = _exporter.Scrape();

        Assert.Contains("pho_special_0 +Inf\n", text);
        Assert.Contains("pho_special_1 -Inf\n", text);
        Assert.Contains("pho_special_2 NaN\n", text);
    }
}

/// <summary>Two hosts in one process (test servers, a bench host beside a desk) keep their series apart.</summary>
public sealed class HostMetricsTests
{
    private static ServiceProvider Host()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddMetricSet<Phoenyra.Core.Messaging.CoreMetrics>();
        services.AddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<IMeterFactory>(), sp.GetServices<IMetricSet>()));
        return services.BuildServiceProvider();
    }

    [Fact]
    public void ACounterInOneHost_DoesNotAppearInAnotherHostsScrape()
    {
        using var first = Host();
        using var second = Host();
        var firstExporter = first.GetRequiredService<PrometheusExporter>();
        var secondExporter = second.GetRequiredService<PrometheusExporter>();

        first.GetRequiredService<Phoenyra.Core.Messaging.CoreMetrics>().AuditEntries.Add(5, new KeyValuePair<string, object?>("result", "ok"));

        Assert.Contains("pho_audit_entries_total{result=\"ok\"} 5", firstExporter.Scrape());
        Assert.DoesNotContain("pho_audit_entries_total{", secondExporter.Scrape());
    }
}
