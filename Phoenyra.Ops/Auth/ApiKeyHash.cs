using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Phoenyra.Ops.Auth;

/// <summary>Key generation and hashing. Only hashes are stored; a key is shown once, when created.</summary>
internal static partial class ApiKeyHash
{
    public static string NewKey() => "pho_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30))
        .Replace('+', '-').Replace('/', '_');

    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HexDigest(string key) => Convert.ToHexStringLower(Digest(key));

    public static bool IsHexDigest(string value) => HexPattern().IsMatch(value);

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex HexPattern();
}

internal static partial class KeyIds
{
    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
