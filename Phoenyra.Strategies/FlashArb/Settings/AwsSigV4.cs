using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Phoenyra.Strategies.FlashArb.Settings;

/// <summary>
/// AWS Signature Version 4, written from AWS's published description (the SDK is not on this
/// NuGet mirror): canonical request → string to sign → key derived from the secret through date,
/// region, service and <c>aws4_request</c> → <c>Authorization</c> header.
/// </summary>
public static class AwsSigV4
{
    public sealed record Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);

    /// <summary>The <c>Authorization</c> header for a request whose headers (all to be signed, host included) are given.</summary>
    public static string Authorization(Credentials credentials, string region, string service, DateTimeOffset time, string method,
        string path, string query, IReadOnlyDictionary<string, string> headers, byte[] payload)
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var sorted = headers.Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(' ', h.Value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Name));
        var canonical = string.Join('\n', method, path, query, string.Concat(sorted.Select(h => $"{h.Name}:{h.Value}\n")), signedHeaders, Hex(SHA256.HashData(payload)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date), region), service), "aws4_request");
        return $"AWS4-HMAC-SHA256 Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={Hex(Hmac(key, toSign))}";
    }

    public static string AmzDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
