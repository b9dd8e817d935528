using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Ops;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Trading.Tests;

/// <summary>
/// Core + Ops + Trading on a private data folder and policy file, without demo prices or the
/// simulated market maker unless asked, so every order in a test is one the test placed.
/// Dispose and start again on the same folder to test recovery.
/// </summary>
public sealed class TradingHost : IAsyncDisposable
{
    public const string Policy = """
        version: 1
        trading_state: active
        defaults:
          max_order_mw: 50
          max_order_notional_eur: 1000000
          price_band_eur: 100
          max_exposure_mwh: 100
          max_exposure_eur: 5000000
          submit_rate_per_second: 100000
          submit_burst: 100000
          key_rate_per_second: 100000
          key_burst: 100000
        markets:
          DE-ID-15:
            max_order_mw: 25
        """;

    private IHost? _host;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "phoenyra-trading-tests", Guid.NewGuid().ToString("N"));
    public string PolicyPath => Path.Combine(DataDir, "policy.yaml");
    public IServiceProvider Services => _host!.Services;
    public IBus Bus => Services.GetRequiredService<IBus>();
    internal Exchange Exchange => Services.GetRequiredService<Exchange>();
    internal MatchingEngine Engine(string market = "DE-ID-15") => Exchange.TryGet(market, out var e) ? e : throw new ArgumentException(market);

    public static async Task<TradingHost> Start(string policy = Policy, bool marketMaker = false, Dictionary<string, string?>? extra = null, TimeProvider? clock = null)
    {
        var host = new TradingHost();
        Directory.CreateDirectory(host.DataDir);
        await File.WriteAllTextAsync(host.PolicyPath, policy);
        host._extra = extra ?? [];
        host._marketMaker = marketMaker;
        host._clock = clock;
        await host.Restart();
        return host;
    }

    private Dictionary<string, string?> _extra = [];
    private bool _marketMaker;
    private TimeProvider? _clock;

    /// <summary>Stops the host (if running) and starts a new one on the same data: the journal is replayed.</summary>
    public async Task Restart()
    {
        if (_host is not null) await Stop();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = DataDir,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = PolicyPath,
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Trading:MarketMaker:Enabled"] = _marketMaker ? "true" : "false",
            ["Phoenyra:Trading:Markets:0:Id"] = "DE-ID-15",
            ["Phoenyra:Trading:Markets:0:ProductHours"] = "0.25",
            ["Phoenyra:Trading:Markets:1:Id"] = "DE-ID-60",
            ["Phoenyra:Trading:Markets:1:ProductHours"] = "1",
        };
        foreach (var (k, v) in _extra) settings[k] = v;
        builder.Configuration.AddInMemoryCollection(settings);
        if (_clock is not null) builder.Services.AddSingleton(_clock);
        builder.AddCoreModule().AddOpsModule().AddTradingModule();
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

    public Task<OrderResult> Limit(OrderSide side, decimal quantity, decimal price, string account = "alice", TimeInForce tif = TimeInForce.Gtc, string market = "DE-ID-15") =>
        Bus.Send(new SubmitOrder(market, side, quantity, price, OrderType.Limit, tif, account)).AsTask();

    public Task<OrderResult> Market(OrderSide side, decimal quantity, string account = "alice", TimeInForce tif = TimeInForce.Ioc, string market = "DE-ID-15") =>
        Bus.Send(new SubmitOrder(market, side, quantity, null, OrderType.Market, tif, account)).AsTask();

    internal long JournalCount() => Services.GetRequiredService<TradeJournal>().Count();

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await Stop();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
