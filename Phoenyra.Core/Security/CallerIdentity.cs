using System.Security.Claims;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Core.Security;

/// <summary>
/// Who is calling, read the same way everywhere (REST, streams, dashboard, audit): the key id and
/// its role, as the API key handler and the dashboard session put them in the principal.
/// </summary>
public static class CallerIdentity
{
    /// <summary>The key id of a caller without one (only ever seen on open endpoints).</summary>
    public const string Anonymous = "anonymous";

    public static string KeyId(this ClaimsPrincipal user) => user.KnownKeyId() ?? Anonymous;

    /// <summary>The key id, or null when the caller presented no valid key or session.</summary>
    public static string? KnownKeyId(this ClaimsPrincipal user) => user.FindFirst(Policies.KeyIdClaim)?.Value;

    public static Role? Role(this ClaimsPrincipal user) =>
        Codes.TryParse<Role>(user.FindFirst(Policies.RoleClaim)?.Value, out var role) ? role : null;

    /// <summary>True for the ranked roles at or above <paramref name="minimum"/> (a device ranks below viewer).</summary>
    public static bool HasAtLeast(this ClaimsPrincipal user, Role minimum) => user.Role() is { } role && role >= minimum;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.Role() == Security.Role.Admin;

    /// <summary>The claims that carry a key's identity.</summary>
    public static Claim[] Claims(string keyId, Role role) =>
        [new(ClaimTypes.Name, keyId), new(Policies.KeyIdClaim, keyId), new(Policies.RoleClaim, Codes.Of(role))];
}
