using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;
using Phoenyra.Core.Messaging;
using Phoenyra.Ops;
using Phoenyra.Trading;

namespace Phoenyra.Strategies.Tests;

/// <summary>
/// Core, Ops, Trading and Strategies on a private folder and policy, the simulated maker on and no
/// demo prices unless the settings ask: the desk every strategy test trades on. Restart it on the
/// same folder to test recovery.
/// </summary>
internal sealed class TestDesk : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private IHost? _host;

    private TestDesk(Dictionary<string, string?> settings) => _settings = settings;

    public string Folder { get; } = Directory.CreateTempSubdirectory("phoenyra-strategy-tests").FullName;
    public IServiceProvider Services => _host!.Services;
    public IBus Bus => Services.GetRequiredService<IBus>();
    public TradingDesk Trading => Services.GetRequiredService<TradingDesk>();

    /// <summary>The two GBP markets of the flash-arb tests (half-hour products; the futures leg a futures market).</summary>
    public static Dictionary<string, string?> GbMarkets() => new()
    {
        ["Phoenyra:Trading:FxToEur:GBP"] = "1.17",
        ["Phoenyra:Trading:Markets:0:Id"] = "GB-SPOT-30",
        ["Phoenyra:Trading:Markets:0:ProductHours"] = "0.5",
        ["Phoenyra:Trading:Markets:0:Currency"] = "GBP",
        ["Phoenyra:Trading:Markets:1:Id"] = "GB-BASE-M",
        ["Phoenyra:Trading:Markets:1:Role"] = "Futures",
        ["Phoenyra:Trading:Markets:1:ProductHours"] = "0.5",
        ["Phoenyra:Trading:Markets:1:Currency"] = "GBP",
    };

    /// <summary>A flash-arb instance on the GBP markets.</summary>
    public static Dictionary<string, string?> FlashArb(string id, Dictionary<string, string?>? more = null)
    {
        var settings = GbMarkets();
        settings["Phoenyra:Strategies:Instances:0:Id"] = id;
        settings["Phoenyra:Strategies:Instances:0:Kind"] = "flash-arb";
        settings["Phoenyra:Strategies:Instances:0:Market"] = "GB-SPOT-30";
        settings["Phoenyra:Strategies:Instances:0:FuturesMarket"] = "GB-BASE-M";
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    /// <param name="marketLimits">Extra <c>markets:</c> entries of policy.yaml (indented as under it).</param>
    public static async Task<TestDesk> Start(Dictionary<string, string?> settings, string marketLimits = "")
    {
        var desk = new TestDesk(settings);
        await File.WriteAllTextAsync(Path.Combine(desk.Folder, "policy.yaml"), $"""
            version: 1
            trading_state: active
            defaults:
              max_order_mw: 50
              max_order_notional_eur: 1000000
              price_band_eur: 100
              max_exposure_mwh: 1000
              max_exposure_eur: 5000000
              submit_rate_per_second: 100000
              submit_burst: 100000
              key_rate_per_second: 100000
              key_burst: 100000
            {(marketLimits.Length > 0 ? "markets:\n" + marketLimits : "")}
            """);
        await desk.Restart();
        return desk;
    }

    /// <summary>Stops the desk and starts it again on the same data: journal replayed, strategies recovered.</summary>
    public async Task Restart()
    {
        if (_host is not null) await Stop();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = Folder,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = Path.Combine(Folder, "policy.yaml"),
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Trading:MarketMaker:Enabled"] = "true",
        };
        foreach (var (k, v) in _settings) settings[k] = v;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddStrategiesModule();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task Stop()
    {
        await _host!.StopAsync();
        _host.Dispose();
        _host = null;
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await Stop();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
