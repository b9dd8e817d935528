using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Security;
using Phoenyra.Core.Storage;

namespace Phoenyra.Ops.Auth;

/// <summary>
/// Dashboard sessions on the server side: each sign-in gets a random session id (in the cookie) and
/// an issue time. A session ends when its operator signs out (recorded, so a copied cookie is dead too,
/// also after a restart), when its key is revoked or changes role, or <see cref="AuthOptions.SessionHours"/>
/// after sign-in whatever the activity.
/// </summary>
internal sealed class SessionBook(IStore store, ApiKeyRegistry keys, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string SessionIdClaim = "phoenyra:sid";
    public const string IssuedClaim = "phoenyra:issued";

    private const string EndedTable = "CREATE TABLE dashboard_sessions_ended (sid TEXT PRIMARY KEY, ended_utc TEXT NOT NULL);";

    public static readonly Migration Schema = new("ops", 3, "ended dashboard sessions", Sqlite: EndedTable, Postgres: EndedTable);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);
    private int _loaded;

    private TimeSpan Lifetime => TimeSpan.FromHours(options.Value.SessionHours);

    /// <summary>The claims of a new session for <paramref name="key"/>.</summary>
    public Claim[] Start(ApiKeyInfo key) =>
    [
        .. CallerIdentity.Claims(key.Id, key.Role),
        new(SessionIdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
        new(IssuedClaim, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>Whether the session may go on: not signed out, within its lifetime, its key still valid with the same role.</summary>
    public bool IsValid(ClaimsPrincipal? user)
    {
        if (user?.KnownKeyId() is not { } id || user.Role() is not { } role) return false;
        if (user.FindFirst(SessionIdClaim)?.Value is not { } sid || IsEnded(sid)) return false;
        if (!long.TryParse(user.FindFirst(IssuedClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issued) > Lifetime) return false;
        return keys.ById(id) is { } key && key.Role == role;
    }

    /// <summary>Ends the session for good (sign-out): its cookie, wherever it was copied, no longer works.</summary>
    public void End(ClaimsPrincipal user)
    {
        if (user.FindFirst(SessionIdClaim)?.Value is not { } sid) return;
        var now = time.GetUtcNow();
        _ended[sid] = now;
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        // Ended sessions older than any session can live are forgotten: their cookies have expired anyway.
        command.CommandText = "INSERT INTO dashboard_sessions_ended(sid, ended_utc) VALUES (@sid, @t) ON CONFLICT DO NOTHING; DELETE FROM dashboard_sessions_ended WHERE ended_utc < @cutoff";
        command.Parameter("@sid", sid);
        command.Parameter("@t", now.UtcDateTime.ToString("O"));
        command.Parameter("@cutoff", (now - Lifetime).UtcDateTime.ToString("O"));
        command.ExecuteNonQuery();
        foreach (var (old, at) in _ended)
            if (now - at > Lifetime) _ended.TryRemove(old, out _);
    }

    private bool IsEnded(string sid)
    {
        if (Interlocked.Exchange(ref _loaded, 1) == 0) Load();
        return _ended.ContainsKey(sid);
    }

    private void Load()
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sid, ended_utc FROM dashboard_sessions_ended";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            _ended[reader.GetString(0)] = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}
