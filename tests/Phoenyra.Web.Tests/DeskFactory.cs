using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real host on a private data folder, with one known key per role and no demo prices.
/// Extra settings (e.g. a tight rate limit) are passed per factory.
/// </summary>
public sealed class DeskFactory : WebApplicationFactory<Program>
{
    private IReadOnlyDictionary<string, string?> _settings = new Dictionary<string, string?>();
    private TimeProvider? _clock;
    private Action<IServiceCollection>? _services;

    public const string ViewerKey = "viewer-key-0123456789abcdef";
    public const string TraderKey = "trader-key-0123456789abcdef";
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string DeviceKey = "device-key-0123456789abcdef";
    public const string AlertmanagerKey = "alertmanager-key-0123456789abcdef";

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "phoenyra-host-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A desk with extra settings on top of the test defaults.</summary>
    public static DeskFactory With(IReadOnlyDictionary<string, string?> settings) => new() { _settings = settings };

    /// <summary>A desk whose clock (and every timer on it) moves only when the test advances it.</summary>
    public static DeskFactory WithClock(TimeProvider clock, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new() { _clock = clock, _settings = settings ?? new Dictionary<string, string?>(), _services = services };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // The desk's appsettings.json and policy.yaml are copied beside the tests, as beside the binary.
        builder.UseContentRoot(AppContext.BaseDirectory);
        var values = new Dictionary<string, string?>
        {
            ["Phoenyra:DataDir"] = DataDir,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Auth:Keys:0:Id"] = "test-viewer",
            ["Phoenyra:Auth:Keys:0:Role"] = "viewer",
            ["Phoenyra:Auth:Keys:0:Key"] = ViewerKey,
            ["Phoenyra:Auth:Keys:1:Id"] = "test-trader",
            ["Phoenyra:Auth:Keys:1:Role"] = "trader",
            ["Phoenyra:Auth:Keys:1:Key"] = TraderKey,
            ["Phoenyra:Auth:Keys:2:Id"] = "test-admin",
            ["Phoenyra:Auth:Keys:2:Role"] = "admin",
            ["Phoenyra:Auth:Keys:2:Key"] = AdminKey,
            ["Phoenyra:Auth:Keys:3:Id"] = "test-device",
            ["Phoenyra:Auth:Keys:3:Role"] = "device",
            ["Phoenyra:Auth:Keys:3:Key"] = DeviceKey,
            ["Phoenyra:Auth:Keys:4:Id"] = "test-alertmanager",
            ["Phoenyra:Auth:Keys:4:Role"] = "alertmanager",
            ["Phoenyra:Auth:Keys:4:Key"] = AlertmanagerKey,
            ["Phoenyra:Bess:Sites:0:DeviceKeys:0"] = "test-device",
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Bess:Simulator:Enabled"] = "false",
        };
        foreach (var (key, value) in _settings) values[key] = value;
        foreach (var (key, value) in values) builder.UseSetting(key, value);
        if (_clock is { } clock) builder.ConfigureTestServices(services => services.AddSingleton(clock));
        if (_services is { } extra) builder.ConfigureTestServices(extra);
    }

    /// <summary>The flash arb's two GBP references, spot 80 and futures 83 (a spread worth taking), every 50 ms until stopped.</summary>
    public async Task FeedGbPrices(CancellationToken stop)
    {
        var bus = Services.GetRequiredService<Phoenyra.Core.Messaging.IBus>();
        while (!stop.IsCancellationRequested)
        {
            await bus.Publish(new Phoenyra.Core.Contracts.ReferencePriceUpdated("GB-SPOT-30", 80m, DateTimeOffset.UtcNow, "test"));
            await bus.Publish(new Phoenyra.Core.Contracts.ReferencePriceUpdated("GB-BASE-M", 83m, DateTimeOffset.UtcNow, "test"));
            await Task.Delay(50);
        }
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
