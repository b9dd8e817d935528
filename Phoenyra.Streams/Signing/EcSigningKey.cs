using System.Security.Cryptography;
using System.Text;
using Phoenyra.Core.Storage;

namespace Phoenyra.Streams.Signing;

/// <summary>
/// The desk's ES256 (P-256) stream signing key. Created once and kept in the store, so its public
/// half in the JWKS stays the same across restarts; the key id is its RFC 7638 thumbprint.
/// </summary>
internal sealed class EcSigningKey : IDisposable
{
    public static readonly Migration Schema = new("streams", 1, "stream signing keys", Sqlite: """
        CREATE TABLE stream_signing_keys (
            kid TEXT PRIMARY KEY,
            alg TEXT NOT NULL,
            pkcs8 BLOB NOT NULL,
            created_utc TEXT NOT NULL
        );
        """, Postgres: """
        CREATE TABLE stream_signing_keys (
            kid TEXT PRIMARY KEY,
            alg TEXT NOT NULL,
            pkcs8 BYTEA NOT NULL,
            created_utc TEXT NOT NULL
        );
        """);

    private readonly Lazy<Loaded> _loaded;

    /// <summary>Loads (or creates) the key on first use, after the host has migrated the store.</summary>
    public EcSigningKey(IStore store, TimeProvider time) => _loaded = new Lazy<Loaded>(() => Load(store, time));

    public string Kid => _loaded.Value.Kid;

    public string X => _loaded.Value.X;

    public string Y => _loaded.Value.Y;

    /// <summary>ES256 as JOSE wants it: SHA-256, signature r‖s (64 bytes).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => _loaded.Value.Key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public void Dispose()
    {
        if (_loaded.IsValueCreated) _loaded.Value.Key.Dispose();
    }

    /// <summary>
    /// The oldest ES256 key wins: desks sharing a PostgreSQL store that start together may each create one,
    /// and each then reads back the same first one, so every desk signs with the key the JWKS shows.
    /// </summary>
    private static Loaded Load(IStore store, TimeProvider time)
    {
        using var connection = store.Open();
        using var read = connection.Command("SELECT pkcs8 FROM stream_signing_keys WHERE alg = 'ES256' ORDER BY created_utc, kid LIMIT 1");
        if (read.ExecuteScalar() is not byte[])
        {
            using var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var insert = connection.Command("INSERT INTO stream_signing_keys (kid, alg, pkcs8, created_utc) VALUES (@kid, 'ES256', @pkcs8, @created)");
            insert.Parameter("@kid", Thumbprint(created.ExportParameters(false)));
            insert.Parameter("@pkcs8", created.ExportPkcs8PrivateKey());
            insert.Parameter("@created", time.GetUtcNow().UtcDateTime.ToString("O"));
            insert.ExecuteNonQuery();
        }
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey((byte[])read.ExecuteScalar()!, out _);
        var parameters = key.ExportParameters(false);
        return new Loaded(key, Thumbprint(parameters), Base64Url(parameters.Q.X!), Base64Url(parameters.Q.Y!));
    }

    private sealed record Loaded(ECDsa Key, string Kid, string X, string Y);

    private static string Thumbprint(ECParameters p) =>
        Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes($"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url(p.Q.X!)}\",\"y\":\"{Base64Url(p.Q.Y!)}\"}}")));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
