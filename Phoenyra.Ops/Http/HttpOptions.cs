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

    /// <summary>The access log starts a new file past this size (the full one becomes <c>api_access-YYYY-MM-DD.N.log</c>).</summary>
    public int AccessLogFileMegabytes { get; set; } = 64;

    /// <summary>All access-log files together stay below this; the oldest finished files go first.</summary>
    public int AccessLogTotalMegabytes { get; set; } = 1024;

    /// <summary>Lines for requests without a valid key, per second; more are dropped and counted, so an anonymous flood cannot fill the disk.</summary>
    public int AccessLogAnonymousLinesPerSecond { get; set; } = 20;

    public IEnumerable<SettingsError> Validate(string section)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
            if (!IPAddress.TryParse(TrustedProxies[i], out _))
                yield return new SettingsError($"{section}:TrustedProxies:{i}", $"'{TrustedProxies[i]}' is not an IP address");
        if (HstsDays is < 0 or > 730)
            yield return new SettingsError($"{section}:HstsDays", $"is {HstsDays}; use 0..730");
        if (AccessLogFileMegabytes is < 1 or > 4096)
            yield return new SettingsError($"{section}:AccessLogFileMegabytes", $"is {AccessLogFileMegabytes}; use 1..4096");
        if (AccessLogTotalMegabytes < AccessLogFileMegabytes || AccessLogTotalMegabytes > 1_000_000)
            yield return new SettingsError($"{section}:AccessLogTotalMegabytes", $"is {AccessLogTotalMegabytes}; use AccessLogFileMegabytes..1000000");
        if (AccessLogAnonymousLinesPerSecond is < 0 or > 100_000)
            yield return new SettingsError($"{section}:AccessLogAnonymousLinesPerSecond", $"is {AccessLogAnonymousLinesPerSecond}; use 0..100000");
    }
}
