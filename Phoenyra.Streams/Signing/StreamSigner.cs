using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Phoenyra.Streams.Signing;

/// <summary>How a client wants its messages signed: the seed's shared-secret HMAC, or ES256 for clients that hold only the public key.</summary>
internal enum SignatureAlgorithm { HS256, ES256 }

/// <summary>
/// Signs stream messages: <c>sig = base64(HMAC-SHA256(secret, ts + "|" + data))</c> with the current
/// HMAC key, or an ES256 signature (IEEE P1363 r‖s, base64) over the same bytes. Several HMAC keys
/// may be known while clients rotate; only <see cref="CurrentKid"/> signs.
/// </summary>
internal sealed class StreamSigner
{
    private readonly Dictionary<string, byte[]> _secrets;
    private readonly EcSigningKey _ecKey;

    public StreamSigner(IOptions<StreamOptions> options, EcSigningKey ecKey, ILogger<StreamSigner> logger)
    {
        _ecKey = ecKey;
        var settings = options.Value;
        _secrets = settings.HmacKeys.ToDictionary(k => k.Key, k => Encoding.UTF8.GetBytes(k.Value), StringComparer.Ordinal);
        if (_secrets.Count == 0)
        {
            // Nobody knows this key, so HS256 messages verify for no one; ES256 (public JWKS) still works.
            CurrentKid = "ephemeral-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
            _secrets[CurrentKid] = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning("No HMAC_SECRET or Phoenyra:Streams:HmacKeys: stream messages are HMAC-signed with a random key ({Kid}) no client knows. Set HMAC_SECRET, or verify ES256 signatures against /.well-known/jwks.json", CurrentKid);
        }
        else
        {
            CurrentKid = settings.CurrentKid ?? (_secrets.Count == 1 ? _secrets.Keys.Single() : _secrets.Keys.Order(StringComparer.Ordinal).Last());
        }
        if (settings.HmacKeys.TryGetValue(CurrentKid, out var current) && current == StreamOptions.DemoSecret)
            logger.LogWarning("Streams are HMAC-signed with the seed's demo secret (phoenyra_demo_secret, Development only) so its verifiers work as written; set HMAC_SECRET for anything else");
        logger.LogInformation("Streams sign with HMAC key {Kid} ({Count} known); ES256 on request", CurrentKid, _secrets.Count);
    }

    public string CurrentKid { get; }

    public IReadOnlyCollection<string> HmacKids => _secrets.Keys;

    public EcSigningKey EcKey => _ecKey;

    /// <summary>The signed envelope <c>{"meta":{ts,sig,kid,alg[,seq]},"data":…}</c> around canonical <paramref name="data"/>.</summary>
    public byte[] Envelope(long ts, long? seq, ReadOnlySpan<byte> data, SignatureAlgorithm algorithm)
    {
        // The signed bytes are ts|data, in a pooled buffer: one allocation per message, the frame.
        Span<byte> prefix = stackalloc byte[21];
        System.Buffers.Text.Utf8Formatter.TryFormat(ts, prefix, out var digits);
        prefix[digits++] = (byte)'|';
        var signed = System.Buffers.ArrayPool<byte>.Shared.Rent(digits + data.Length);
        string sig;
        try
        {
            prefix[..digits].CopyTo(signed);
            data.CopyTo(signed.AsSpan(digits));
            var bytes = signed.AsSpan(0, digits + data.Length);
            sig = algorithm == SignatureAlgorithm.ES256 ? Convert.ToBase64String(_ecKey.Sign(bytes)) : Convert.ToBase64String(HMACSHA256.HashData(_secrets[CurrentKid], bytes));
        }
        finally { System.Buffers.ArrayPool<byte>.Shared.Return(signed); }
        var kid = algorithm == SignatureAlgorithm.ES256 ? _ecKey.Kid : CurrentKid;
        var head = seq is { } s
            ? $"{{\"meta\":{{\"ts\":{ts},\"sig\":\"{sig}\",\"kid\":\"{kid}\",\"alg\":\"{algorithm}\",\"seq\":{s}}},\"data\":"
            : $"{{\"meta\":{{\"ts\":{ts},\"sig\":\"{sig}\",\"kid\":\"{kid}\",\"alg\":\"{algorithm}\"}},\"data\":";
        var frame = new byte[head.Length + data.Length + 1];
        Encoding.ASCII.GetBytes(head, frame);
        data.CopyTo(frame.AsSpan(head.Length));
        frame[^1] = (byte)'}';
        return frame;
    }
}
