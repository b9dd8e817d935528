using Phoenyra.Core.Contracts;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Data.Common;
using Phoenyra.Core.Security;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;

namespace Phoenyra.Ops.Auth;

/// <summary>A known key, without its secret: the id, role and where it came from (store, config, env).</summary>
public sealed record ApiKeyInfo(string Id, Role Role, string Source, DateTimeOffset? CreatedUtc);

/// <summary>
/// The keys this process accepts, indexed by SHA-256 digest. Keys created here are persisted as
/// digests in the store; keys from configuration or environment live only in memory.
/// </summary>
internal sealed class ApiKeyRegistry(IStore store, TimeProvider time, IBus bus, ReservedAccounts reserved)
{
    public static readonly Migration Schema = new("ops", 2, "api keys", Sqlite: """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            created_utc TEXT NOT NULL,
            revoked_utc TEXT NULL);
        """, Postgres: """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            created_utc TEXT NOT NULL,
            revoked_utc TEXT NULL,
            revoked_by TEXT NULL,
            cancel_orders BIGINT NOT NULL DEFAULT 0);
        """);

    /// <summary>Who revoked a key and whether the revoke also cancels its resting orders (1: yes).</summary>
    public static readonly Migration CancelOrdersSchema = new("ops", 4, "api key revoke cancels orders", Sqlite: """
        ALTER TABLE api_keys ADD COLUMN revoked_by TEXT NULL;
        ALTER TABLE api_keys ADD COLUMN cancel_orders INTEGER NOT NULL DEFAULT 0;
        """, Postgres: "SELECT 1 -- in the table from v2");

    private readonly ConcurrentDictionary<string, (ApiKeyInfo Info, byte[] Digest)> _byDigest = new(StringComparer.Ordinal);

    // Store writes and refreshes one at a time, so a refresh never sees a key half-created or half-revoked.
    private readonly Lock _writes = new();

    public int Count => _byDigest.Count;

    public IReadOnlyList<ApiKeyInfo> List() => _byDigest.Values.Select(v => v.Info).OrderBy(i => i.Id, StringComparer.Ordinal).ToList();

    /// <summary>The identity for a presented key, or null. The digest is compared in constant time.</summary>
    public ApiKeyInfo? Find(string presentedKey)
    {
        var digest = ApiKeyHash.Digest(presentedKey);
        return _byDigest.TryGetValue(Convert.ToHexStringLower(digest), out var entry)
               && CryptographicOperations.FixedTimeEquals(entry.Digest, digest)
            ? entry.Info
            : null;
    }

    /// <summary>The key with this id, if it is still active (sessions re-check it on every request).</summary>
    public ApiKeyInfo? ById(string id) => _byDigest.Values.Select(v => v.Info).FirstOrDefault(i => i.Id == id);

    public void LoadFromStore()
    {
        foreach (var (digest, info) in StoredKeys()) AddDigest(digest, info);
    }

    /// <summary>
    /// Makes the keys from the store match the store (the source of truth, which the CLI or another
    /// process may have changed): adds new ones, drops revoked ones and announces each drop.
    /// </summary>
    public async Task<(int Added, int Revoked)> Refresh(CancellationToken cancellationToken = default)
    {
        var added = 0;
        var gone = new List<string>();
        lock (_writes)
        {
            var stored = StoredKeys().ToDictionary(k => k.Digest, StringComparer.Ordinal);
            foreach (var (digest, info) in stored.Values)
                if (!_byDigest.ContainsKey(digest) && _byDigest.Values.All(v => v.Info.Id != info.Id))
                {
                    AddDigest(digest, info);
                    added++;
                }
            foreach (var (digest, entry) in _byDigest.Where(kv => kv.Value.Info.Source == "store" && !stored.ContainsKey(kv.Key)).ToList())
                if (_byDigest.TryRemove(digest, out _)) gone.Add(entry.Info.Id);
        }
        var cancels = gone.Count == 0 ? [] : CancelRequests().Where(r => gone.Contains(r.KeyId)).ToList();
        foreach (var id in gone) await bus.Publish(new ApiKeyRevoked(id, time.GetUtcNow()), cancellationToken);
        foreach (var request in cancels) await bus.Publish(request, cancellationToken);
        return (added, gone.Count);
    }

    /// <summary>
    /// Announces again every revoke that asked to cancel the key's orders (at start: the revoke may
    /// have been made while the desk was down, and the journal restores the orders).
    /// </summary>
    public async Task AnnounceOrderCancels(CancellationToken cancellationToken = default)
    {
        foreach (var request in CancelRequests()) await bus.Publish(request, cancellationToken);
    }

    private List<KeyOrdersCancelRequested> CancelRequests()
    {
        var requests = new List<KeyOrdersCancelRequested>();
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, revoked_by FROM api_keys WHERE revoked_utc IS NOT NULL AND cancel_orders = 1";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            requests.Add(new KeyOrdersCancelRequested(reader.GetString(0), reader.IsDBNull(1) ? "store" : reader.GetString(1), time.GetUtcNow()));
        return requests;
    }

    private List<(string Digest, ApiKeyInfo Info)> StoredKeys()
    {
        var keys = new List<(string, ApiKeyInfo)>();
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, role, sha256, created_utc FROM api_keys WHERE revoked_utc IS NULL";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var created = DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture);
            keys.Add((reader.GetString(2).ToLowerInvariant(), new ApiKeyInfo(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), true), "store", created)));
        }
        return keys;
    }

    /// <summary>Adds a key known only by its digest (configuration) or by value (environment).</summary>
    public void AddDigest(string hexDigest, ApiKeyInfo info)
    {
        var lower = hexDigest.ToLowerInvariant();
        if (_byDigest.Values.Any(v => v.Info.Id == info.Id))
            throw new InvalidOperationException($"API key id '{info.Id}' is defined twice ({info.Source}).");
        _byDigest[lower] = (info, Convert.FromHexString(lower));
    }

    /// <summary>Creates and persists a new key; the returned secret is never stored and cannot be shown again.</summary>
    public (ApiKeyInfo Info, string Secret) Create(string id, Role role)
    {
        if (!KeyIds.IsValid(id)) throw new ArgumentException("A key id is 1-64 of a-z, 0-9, '-', '_'.", nameof(id));
        if (reserved.Problem(id) is { } problem) throw new ArgumentException(problem, nameof(id));
        if (_byDigest.Values.Any(v => v.Info.Id == id)) throw new InvalidOperationException($"A key with id '{id}' already exists.");
        var secret = ApiKeyHash.NewKey();
        var digest = ApiKeyHash.HexDigest(secret);
        var info = new ApiKeyInfo(id, role, "store", time.GetUtcNow());
        lock (_writes) Insert(info, digest);
        return (info, secret);
    }

    private void Insert(ApiKeyInfo info, string digest)
    {
        var id = info.Id;
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO api_keys(id, role, sha256, created_utc) VALUES (@id, @role, @hash, @t)";
        command.Parameter("@id", id);
        command.Parameter("@role", Codes.Of(info.Role));
        command.Parameter("@hash", digest);
        command.Parameter("@t", info.CreatedUtc!.Value.ToString("O"));
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DbException ex) when (ex.IsUniqueViolation())
        {
            throw new InvalidOperationException($"A key with id '{id}' already exists (possibly revoked; ids are not reused).", ex);
        }
        AddDigest(digest, info);
    }

    /// <summary>
    /// Revokes a stored key and announces it, and with <paramref name="cancelOrders"/> asks the desk to
    /// cancel the key's resting orders; keys from configuration are removed by editing the configuration.
    /// </summary>
    public async Task<bool> Revoke(string id, string actor, bool cancelOrders = false)
    {
        lock (_writes)
        {
            var entry = _byDigest.FirstOrDefault(kv => kv.Value.Info.Id == id);
            if (entry.Key is null || entry.Value.Info.Source != "store") return false;
            using var connection = store.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE api_keys SET revoked_utc = @t, revoked_by = @by, cancel_orders = @cancel WHERE id = @id AND revoked_utc IS NULL";
            command.Parameter("@id", id);
            command.Parameter("@by", actor);
            command.Parameter("@cancel", cancelOrders ? 1L : 0L);
            command.Parameter("@t", time.GetUtcNow().ToString("O"));
            command.ExecuteNonQuery();
            if (!_byDigest.TryRemove(entry.Key, out _)) return false;
        }
        await bus.Publish(new ApiKeyRevoked(id, time.GetUtcNow()));
        if (cancelOrders) await bus.Publish(new KeyOrdersCancelRequested(id, actor, time.GetUtcNow()));
        return true;
    }

    /// <summary>How many keys the store holds, revoked ones included (a fresh store has none).</summary>
    public long StoredKeyCount()
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM api_keys";
        return command.ScalarLong();
    }
}
