using System.Net;
using Phoenyra.Core.Settings;

namespace Phoenyra.Ops.Http;

/// <summary>How the desk sits on the network, section <c>Phoenyra:Http</c>.</summary>
public sealed class HttpOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Http";

    /// <summary>
    /// Reverse proxies (IP addresses) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
    /// believed: the client address (failed-auth limits, access log) and HTTPS (Secure cookies, HSTS)
    /// then come from the proxy's headers. Empty: headers from anyone are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Strict-Transport-Security max-age, sent on HTTPS answers outside Development.</summary>
    public int HstsDays { get; set; } = 180;

    public IEnumerable<SettingsError> Validate(string section)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
            if (!IPAddress.TryParse(TrustedProxies[i], out _))
                yield return new SettingsError($"{section}:TrustedProxies:{i}", $"'{TrustedProxies[i]}' is not an IP address");
        if (HstsDays is < 0 or > 730)
            yield return new SettingsError($"{section}:HstsDays", $"is {HstsDays}; use 0..730");
    }
}
