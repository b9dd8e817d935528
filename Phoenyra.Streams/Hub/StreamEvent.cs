using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Hub;

/// <summary>
/// One event of a stream: its sequence number, canonical data bytes (which carry the seq, so the
/// signature covers it) and the signed frames, built once per algorithm and shared by every client.
/// The data is built on first use — by a connected client, or a resuming one — so a desk nobody
/// watches does not encode every event for nothing.
/// </summary>
internal sealed class StreamEvent(long seq, long ts, Func<long, byte[]> build)
{
    private Func<long, byte[]>? _build = build;
    private byte[]? _data;
    private byte[]? _hs256;
    private byte[]? _es256;

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

    /// <summary>The frame as first published (called under the stream's lock, so built once).</summary>
    public byte[] Frame(StreamSigner signer, SignatureAlgorithm algorithm) => algorithm == SignatureAlgorithm.ES256
        ? _es256 ??= signer.Envelope(Ts, Seq, Data, algorithm)
        : _hs256 ??= signer.Envelope(Ts, Seq, Data, algorithm);
}
