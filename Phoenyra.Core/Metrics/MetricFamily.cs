using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Phoenyra.Core.Metrics;

internal enum MetricKind { Counter, Gauge, Histogram }

/// <summary>
/// One exported metric name: its type, help text and the series seen so far — at most
/// <see cref="MaxSeries"/> of them, so labels a caller controls can never grow memory without bound
/// (what is refused is counted in <see cref="Dropped"/>).
/// </summary>
internal sealed class MetricFamily(string name, MetricKind kind, string help, bool observable, double[] buckets)
{
    public const int MaxSeries = 2_000;

    private SeriesTable _table = new();
    private long _dropped;

    /// <summary>Measurements refused because the family already had <see cref="MaxSeries"/> series.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public string Name { get; } = name;
    public MetricKind Kind { get; } = kind;
    public string Help { get; } = help;

    /// <summary>Observable instruments report whole values at scrape time; their series are rebuilt each scrape.</summary>
    public bool Observable { get; } = observable;
    public double[] Buckets { get; } = buckets;

    public IEnumerable<Series> Series => Volatile.Read(ref _table).ByLabels.Values;

    public void ResetObserved() => Volatile.Write(ref _table, new SeriesTable());

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var table = Volatile.Read(ref _table);
        Series series;
        if (tags.Length <= TagTuple.Capacity)
        {
            // Hot path: the tags as given (unsorted, unformatted) find their series without allocating.
            var fast = TagTuple.From(tags);
            if (!table.ByTags.TryGetValue(fast, out series!))
            {
                if (Resolve(table, tags) is not { } resolved) return;
                series = table.ByTags.GetOrAdd(fast, resolved);
            }
        }
        else
        {
            if (Resolve(table, tags) is not { } resolved) return;
            series = resolved;
        }
        if (Kind == MetricKind.Histogram) series.Observe(value);
        else if (Observable || !IsAccumulating) series.Set(value);
        else series.Add(value);
    }

    private Series? Resolve(SeriesTable table, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = LabelSet.From(tags);
        if (table.ByLabels.Count >= MaxSeries && !table.ByLabels.ContainsKey(labels.Key))
        {
            Interlocked.Increment(ref _dropped);
            return null;
        }
        return table.ByLabels.GetOrAdd(labels.Key, static (_, state) => new Series(state.labels, state.buckets),
            (labels, buckets: Kind == MetricKind.Histogram ? Buckets : null));
    }

    private sealed class SeriesTable
    {
        public ConcurrentDictionary<string, Series> ByLabels { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<TagTuple, Series> ByTags { get; } = new();
    }

    /// <summary>Counters and up-down counters report deltas; gauges report levels.</summary>
    public bool IsAccumulating { get; init; }

    public static MetricFamily For(Instrument instrument, double[] defaultBuckets)
    {
        var observable = instrument.IsObservable;
        var type = instrument.GetType().GetGenericTypeDefinition();
        var (kind, accumulating) = type switch
        {
            _ when type == typeof(Counter<>) => (MetricKind.Counter, true),
            _ when type == typeof(ObservableCounter<>) => (MetricKind.Counter, false),
            _ when type == typeof(UpDownCounter<>) => (MetricKind.Gauge, true),
            _ when type == typeof(Histogram<>) => (MetricKind.Histogram, false),
            _ => (MetricKind.Gauge, false),
        };
        var name = PrometheusText.SanitizeName(instrument.Name);
        if (kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
        var help = string.IsNullOrWhiteSpace(instrument.Description) ? name : instrument.Description;
        var buckets = kind == MetricKind.Histogram ? BucketsOf(instrument) ?? defaultBuckets : [];
        return new MetricFamily(name, kind, help, observable, buckets) { IsAccumulating = accumulating };
    }

    private static double[]? BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
        _ => null,
    };
}
