using System.Text.RegularExpressions;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Seeds;

/// <summary>
/// The real desk as <c>dotnet run</c> starts it (Development, no HMAC secret set), with the
/// compatibility listeners standing in for the seeds' ports: 9000 (exchange), 5000 (web app), 8080
/// (hedge-grid API) and 8000 (flash-arb API), each on a free port of its own here.
/// </summary>
public sealed partial class SeedDesk : IAsyncLifetime
{
    public const string ViewerKey = "seed-viewer-key-0123456789abcdefghij";
    public const string TraderKey = "seed-trader-key-0123456789abcdefghij";
    public const string AdminKey = "seed-admin-key-0123456789abcdefghijk";
    public const string DeviceKey = "seed-device-key-0123456789abcdefghij";

    private static readonly int[] SeedPorts = [9000, 5000, 8080, 8000];

    public DeskProcess Desk { get; } = new();

    /// <summary>The seeds' port → the compatibility listener that stands in for it.</summary>
    public IReadOnlyDictionary<int, int> Ports { get; } = SeedPorts.ToDictionary(p => p, _ => DeskProcess.FreePort());

    public async Task InitializeAsync()
    {
        Desk.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        Desk.Environment["Phoenyra__Compat__Urls"] = string.Join(';', Ports.Values.Select(p => $"http://127.0.0.1:{p}"));
        Desk.Environment["API_KEY"] = TraderKey;
        Desk.Environment["ADMIN_KEY"] = AdminKey;
        (string Id, string Role, string Key)[] keys = [("seed-viewer", "viewer", ViewerKey), ("site-1", "device", DeviceKey)];
        for (var i = 0; i < keys.Length; i++)
        {
            Desk.Environment[$"Phoenyra__Auth__Keys__{i}__Id"] = keys[i].Id;
            Desk.Environment[$"Phoenyra__Auth__Keys__{i}__Role"] = keys[i].Role;
            Desk.Environment[$"Phoenyra__Auth__Keys__{i}__Key"] = keys[i].Key;
        }
        await Desk.Start();
    }

    public async Task DisposeAsync() => await Desk.DisposeAsync();

    /// <summary>A seed's text with its <c>localhost:PORT</c> addresses pointed at the stand-in listeners.</summary>
    public string Rehost(string text) =>
        LocalhostRegex().Replace(text, m => Ports.TryGetValue(int.Parse(m.Groups[1].Value), out var port) ? $"127.0.0.1:{port}" : m.Value);

    public HttpClient Client(int seedPort, string? key)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Ports[seedPort]}"), Timeout = TimeSpan.FromSeconds(15) };
        if (key is not null) http.DefaultRequestHeaders.Add("X-API-Key", key);
        return http;
    }

    [GeneratedRegex(@"localhost:(\d+)")]
    private static partial Regex LocalhostRegex();
}
