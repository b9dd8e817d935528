using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Settings;

namespace Phoenyra.Core.Http;

/// <summary>
/// Addresses a module adds beside the host's own (the seeds' old ports, so their scripts run
/// unchanged): <c>;</c>-separated http URLs that each name their port, as in <c>ASPNETCORE_URLS</c>.
/// </summary>
public static class ExtraListeners
{
    /// <summary>The URLs of a setting, trimmed, empty entries dropped.</summary>
    public static IReadOnlyList<string> Parse(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The ports of a (validated) setting.</summary>
    public static IReadOnlyList<int> Ports(string? urls) =>
        Parse(urls).Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.Port : -1).Where(p => p > 0).ToList();

    /// <summary>One error per URL that is not an http URL naming its port.</summary>
    public static IEnumerable<SettingsError> Check(string key, string? urls)
    {
        foreach (var url in Parse(urls))
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.Port == 0 || !url.Contains($":{uri.Port}", StringComparison.Ordinal))
                yield return new SettingsError(key, $"'{url}' must be an http URL with its port, such as http://localhost:8080");
    }

    /// <summary>
    /// Adds the URLs of setting <paramref name="key"/> to the host's addresses, never instead of its
    /// own. With Kestrel endpoints configured (which override the URL list) they become endpoints too.
    /// </summary>
    public static void Add(IHostApplicationBuilder builder, string key)
    {
        var extra = Parse(builder.Configuration[key]);
        if (extra.Count == 0 || builder is not WebApplicationBuilder web) return;
        var endpoints = builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().ToList();
        RefusePlainBesideHttps(builder, key, extra, endpoints.Count > 0 ? endpoints.Select(e => e["Url"]).OfType<string>().ToList() : Parse(builder.Configuration[WebHostDefaults.ServerUrlsKey]));
        if (endpoints.Count > 0)
        {
            var taken = endpoints.Select(e => e["Url"]).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var name = key.Replace(':', '-');
            for (var i = 0; i < extra.Count; i++)
                if (taken.Add(extra[i])) builder.Configuration[$"Kestrel:Endpoints:{name}-{i}:Url"] = extra[i];
            return;
        }
        var own = Parse(builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : "http://localhost:5000");
        web.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Join(';', own.Concat(extra).Distinct(StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// While the desk's own listeners are all HTTPS, an extra one on plain HTTP at an address other
    /// machines reach would carry keys in clear: the start is refused (a settings error, exit 2)
    /// unless <c>…:AllowPlainHttp</c> beside the setting is true.
    /// </summary>
    private static void RefusePlainBesideHttps(IHostApplicationBuilder builder, string key, IReadOnlyList<string> extra, IReadOnlyList<string> own)
    {
        var allowKey = key[..(key.LastIndexOf(':') + 1)] + "AllowPlainHttp";
        if (own.Count == 0 || !own.All(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) || builder.Configuration.GetValue<bool>(allowKey)) return;
        var exposed = extra.FirstOrDefault(u => Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && uri.Scheme == "http" && !(uri.IsLoopback || uri.Host == "localhost"));
        if (exposed is null) return;
        var error = new SettingsError(key, $"'{exposed}' is plain HTTP on an address other machines reach while the desk's own listener is HTTPS, so keys would cross the network in clear")
        {
            Fix = $"listen on a loopback address (http://127.0.0.1:PORT), put the port behind TLS, or set {allowKey}=true if the network is trusted",
        };
        builder.Services.AddOptions<PlainHttpRefusal>(key).Validate(_ => false, error.ToString()).ValidateOnStart();
    }

    private sealed class PlainHttpRefusal;
}
