using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Hub;

/// <summary>
/// One event of a stream: its sequence number, canonical data bytes (which carry the seq, so the
/// signature covers it) and the signed frames, built once per algorithm and shared by every client.
/// </summary>
internal sealed class StreamEvent(long seq, long ts, byte[] data)
{
    private byte[]? _hs256;
    private byte[]? _es256;

    public long Seq { get; } = seq;

    public long Ts { get; } = ts;

    public byte[] Data { get; } = data;

    /// <summary>The frame as first published (called under the stream's lock, so built once).</summary>
    public byte[] Frame(StreamSigner signer, SignatureAlgorithm algorithm) => algorithm == SignatureAlgorithm.ES256
        ? _es256 ??= signer.Envelope(Ts, Seq, Data, algorithm)
        : _hs256 ??= signer.Envelope(Ts, Seq, Data, algorithm);
}
