namespace Phoenyra.Streams.Hub;

/// <summary>
/// One event of a stream: its sequence number and canonical data bytes (which carry the seq, so the
/// signature covers it), shared by every client; each connection signs them with its own binding
/// (<see cref="StreamConnection"/>). The data is built on first use — by a connected client, or a
/// resuming one — so a desk nobody watches does not encode every event for nothing.
/// </summary>
internal sealed class StreamEvent(long seq, long ts, Func<long, byte[]> build)
{
    private Func<long, byte[]>? _build = build;
    private byte[]? _data;

    public long Seq { get; } = seq;

    public long Ts { get; } = ts;

    /// <summary>The canonical data; building it twice on a race gives the same bytes (the builder only reads the event).</summary>
    public byte[] Data
    {
        get
        {
            if (Volatile.Read(ref _data) is { } data) return data;
            // The builder is dropped only after the data is written, so no builder means data.
            if (Volatile.Read(ref _build) is not { } build) return Volatile.Read(ref _data)!;
            var built = build(Seq);
            Volatile.Write(ref _data, built);
            Volatile.Write(ref _build, null);
            return built;
        }
    }
}
