namespace Phoenyra.Core.Metrics;

/// <summary>A label set's value (counter/gauge) or bucket counts (histogram), updated lock-free.</summary>
internal sealed class Series(LabelSet labels, double[]? buckets)
{
    private long _valueBits;
    private long _sumBits;
    private long _count;
    private readonly long[] _bucketCounts = buckets is null ? [] : new long[buckets.Length];

    public LabelSet Labels { get; } = labels;
    public double[] Bounds { get; } = buckets ?? [];
    public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _valueBits));
    public double Sum => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _sumBits));
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Cumulative count of observations at or below each bound, as Prometheus wants them.</summary>
    public long[] CumulativeBuckets()
    {
        var result = new long[_bucketCounts.Length];
        long running = 0;
        for (var i = 0; i < result.Length; i++)
            result[i] = running += Interlocked.Read(ref _bucketCounts[i]);
        return result;
    }

    public void Set(double value) => Interlocked.Exchange(ref _valueBits, BitConverter.DoubleToInt64Bits(value));

    public void Add(double delta) => AddTo(ref _valueBits, delta);

    public void Observe(double value)
    {
        var index = Array.BinarySearch(Bounds, value);
        if (index < 0) index = ~index; // first bound >= value; le is inclusive
        if (index < _bucketCounts.Length) Interlocked.Increment(ref _bucketCounts[index]);
        AddTo(ref _sumBits, value);
        Interlocked.Increment(ref _count);
    }

    private static void AddTo(ref long bits, double delta)
    {
        long seen, next;
        do
        {
            seen = Interlocked.Read(ref bits);
            next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + delta);
        } while (Interlocked.CompareExchange(ref bits, next, seen) != seen);
    }
}
