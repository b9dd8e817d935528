using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Ops;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.Runtime;
using Phoenyra.Trading;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>A desk that stops mid-cycle (after the power leg, before the futures leg) resolves the cycle when it comes back.</summary>
public sealed class FlashArbRecoveryTests : IAsyncDisposable
{
    private const string Account = "arb";
    private readonly string _folder = Directory.CreateTempSubdirectory("phoenyra-arb-recovery").FullName;
    private IHost? _host;

    private IServiceProvider Services => _host!.Services;

    private async Task Start()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
            SqliteConnection.ClearAllPools();
        }
        var policy = Path.Combine(_folder, "policy.yaml");
        if (!File.Exists(policy))
            await File.WriteAllTextAsync(policy, "version: 1\ntrading_state: active\ndefaults:\n  max_order_mw: 50\n  max_order_notional_eur: 1000000\n  price_band_eur: 100\n  max_exposure_mwh: 1000\n  max_exposure_eur: 5000000\n  submit_rate_per_second: 100000\n  submit_burst: 100000\n  key_rate_per_second: 100000\n  key_burst: 100000\n");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = _folder,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = policy,
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Trading:MarketMaker:Enabled"] = "true",
            ["Phoenyra:Trading:FxToEur:GBP"] = "1.17",
            ["Phoenyra:Trading:Markets:0:Id"] = "GB-SPOT-30",
            ["Phoenyra:Trading:Markets:0:ProductHours"] = "0.5",
            ["Phoenyra:Trading:Markets:0:Currency"] = "GBP",
            ["Phoenyra:Trading:Markets:0:ReferencePrice"] = "80",
            ["Phoenyra:Trading:Markets:1:Id"] = "GB-BASE-M",
            ["Phoenyra:Trading:Markets:1:Role"] = "Futures",
            ["Phoenyra:Trading:Markets:1:ProductHours"] = "0.5",
            ["Phoenyra:Trading:Markets:1:Currency"] = "GBP",
            ["Phoenyra:Trading:Markets:1:ReferencePrice"] = "83",
            ["Phoenyra:Strategies:Instances:0:Id"] = Account,
            ["Phoenyra:Strategies:Instances:0:Kind"] = "flash-arb",
            ["Phoenyra:Strategies:Instances:0:Market"] = "GB-SPOT-30",
            ["Phoenyra:Strategies:Instances:0:FuturesMarket"] = "GB-BASE-M",
        });
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddStrategiesModule();
        _host = builder.Build();
        await _host.StartAsync();
    }

    private async Task<decimal> PowerNet() =>
        (await Services.GetRequiredService<TradingDesk>().AccountPositions(Account)).SingleOrDefault(p => p.Position.Market == "GB-SPOT-30")?.Position.NetQuantity ?? 0m;

    private FlashArbView View => Services.GetRequiredService<FlashArbDesk>().View;

    [Fact]
    public async Task ACycleOpenWhenTheDeskStopped_IsUnwoundOnRestart_Once()
    {
        await Start();
        // What a crash between the legs leaves: the cycle journalled as open, its power leg bought.
        Services.GetRequiredService<StrategyJournal>().Append(Account, new StrategyEvent(StrategyEventKind.CycleOpened, DateTimeOffset.UtcNow, 7, 0, null));
        var bought = await Services.GetRequiredService<IBus>().Send(new SubmitOrder("GB-SPOT-30", OrderSide.Buy, 5, null, OrderType.Market, TimeInForce.Ioc, Account, "FA-7-POWER"));
        Assert.Equal(5m, bought.FilledQuantity);

        await Start();

        Assert.Equal(0m, await PowerNet());
        var cycle = Assert.Single(View.Cycles);
        Assert.Equal((7L, CycleOutcome.UnwoundOnRestart), (cycle.Id, cycle.Outcome));
        Assert.Equal(("GB-SPOT-30", "sell", 5m), (cycle.Legs[0].Venue, cycle.Legs[0].Side, cycle.Legs[0].Quantity));
        Assert.Equal(StrategyState.Stopped, Services.GetRequiredService<FlashArbDesk>().Status!.State);

        await Start();

        Assert.Equal(0m, await PowerNet());
        Assert.Single(View.Cycles);
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
