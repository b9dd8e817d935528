namespace Phoenyra.Streams.Signing;

/// <summary>
/// The JWKS at <c>/.well-known/jwks.json</c>: the ES256 public key as a real JWK, and beside the
/// key set only the ids of the HMAC keys. A shared secret is never published (RFC 7517 §7).
/// </summary>
internal static class KeyDiscovery
{
    public static object Document(StreamSigner signer) => new
    {
        keys = new[]
        {
            new { kty = "EC", crv = "P-256", x = signer.EcKey.X, y = signer.EcKey.Y, kid = signer.EcKey.Kid, alg = "ES256", use = "sig" },
        },
        hmac = new
        {
            alg = "HS256",
            current_kid = signer.CurrentKid,
            kids = signer.HmacKids.Order(StringComparer.Ordinal).ToArray(),
            signed_bytes = "ts + \"|\" + data as compact JSON",
        },
    };
}
