using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Phoenyra.Core.Metrics;

/// <summary>
/// Listens to the instruments of one host (those its <see cref="IMeterFactory"/> created; two hosts
/// in one process never see each other's series), or in tests and benchmarks to every
/// <see cref="Meter"/> whose name starts with a prefix, and renders them as Prometheus text on demand.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>Prometheus client defaults, in seconds: used when an instrument gives no bucket advice.</summary>
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public const string ContentType = PrometheusText.ContentType;

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, MetricFamily> _families = new(StringComparer.Ordinal);
    private readonly Lock _scrapeGate = new();
    private readonly Meter? _ownMeter;
    private readonly Counter<long> _collectErrors;

    /// <summary>Exports the host's instruments; <paramref name="sets"/> are built first, so every registered gauge exists.</summary>
    public PrometheusExporter(IMeterFactory meters, IEnumerable<IMetricSet> sets)
    {
        var built = sets.ToList();
        _collectErrors = CreateOwnInstruments(meters.Create("Phoenyra.Metrics"));
        Listen(instrument => ReferenceEquals(instrument.Meter.Scope, meters));
        foreach (var set in built) set.StartAtZero();
    }

    /// <summary>Exports every meter whose name starts with one of <paramref name="meterPrefixes"/>.</summary>
    public PrometheusExporter(params string[] meterPrefixes)
    {
        var prefixes = meterPrefixes.Length == 0 ? ["Phoenyra"] : meterPrefixes;
        _ownMeter = new Meter(prefixes[0] + ".Metrics");
        _collectErrors = CreateOwnInstruments(_ownMeter);
        Listen(instrument => prefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)));
    }

    /// <summary>The exporter's own: failed gauge callbacks, and series refused by a family at its cap (by family).</summary>
    private Counter<long> CreateOwnInstruments(Meter meter)
    {
        meter.CreateObservableCounter("pho_metrics_series_dropped_total",
            () => _families.Values.Where(f => f.Dropped > 0).Select(f => new Measurement<long>(f.Dropped, new KeyValuePair<string, object?>("family", f.Name))),
            description: $"Measurements refused because their family already had {MetricFamily.MaxSeries} label sets (labels from outside never grow memory).");
        return meter.CreateCounter<long>("pho_metrics_collect_errors_total", description: "Scrapes in which an observable gauge's callback threw.");
    }

    private void Listen(Func<Instrument, bool> include)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!include(instrument)) return;
            var candidate = MetricFamily.For(instrument, DefaultBuckets);
            var family = _families.GetOrAdd(candidate.Name, candidate);
            listener.EnableMeasurementEvents(instrument, family);
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>((_, value, tags, state) => ((MetricFamily)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Collects observable instruments and renders every family, sorted by name.</summary>
    public string Scrape()
    {
        lock (_scrapeGate)
        {
            foreach (var family in _families.Values.Where(f => f.Observable)) family.ResetObserved();
            try
            {
                _listener.RecordObservableInstruments();
            }
            catch (Exception)
            {
                // A gauge whose callback throws (e.g. its owner is shutting down) must not fail the
                // whole scrape: the rest is still worth having, and the failure is itself a metric.
                _collectErrors.Add(1);
            }
            var output = new StringBuilder(16 * 1024);
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
                PrometheusText.WriteFamily(output, family);
            return output.ToString();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _ownMeter?.Dispose();
    }
}
