using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Health;
using Phoenyra.Core.Messaging;
using Phoenyra.Ops;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Trading;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>The orchestrator configured as document 002 says for the chain (USE_WEB3_LOAN=1 …), settling on a real local chain.</summary>
public sealed class ChainOrchestratorTests(LocalChain chain) : IClassFixture<LocalChain>, IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("phoenyra-arb-chain").FullName;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var policy = Path.Combine(_folder, "policy.yaml");
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
            ["Phoenyra:Trading:Markets:1:Id"] = "GB-BASE-M",
            ["Phoenyra:Trading:Markets:1:Role"] = "Futures",
            ["Phoenyra:Trading:Markets:1:ProductHours"] = "0.5",
            ["Phoenyra:Trading:Markets:1:Currency"] = "GBP",
            ["Phoenyra:Strategies:Instances:0:Id"] = "arb",
            ["Phoenyra:Strategies:Instances:0:Kind"] = "flash-arb",
            ["Phoenyra:Strategies:Instances:0:Market"] = "GB-SPOT-30",
            ["Phoenyra:Strategies:Instances:0:FuturesMarket"] = "GB-BASE-M",
            ["Phoenyra:Strategies:Instances:0:BarSeconds"] = "0.1",
            ["USE_WEB3_LOAN"] = "1",
            ["HARDHAT_RPC"] = chain.Rpc,
            ["FLASH_LOAN_CONTRACT"] = chain.Lender,
            ["FLASH_LOAN_RECEIVER"] = chain.Borrower,
            ["LENDER_KEY"] = LocalChain.DeskKey,
            ["POWER_SETTLEMENT_ADDRESS"] = LocalChain.PowerVenue,
            ["FUTURES_SETTLEMENT_ADDRESS"] = chain.Desk,
        });
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddStrategiesModule();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ProfitableCycles_SettleOnChain_AndTheChainsBalancesMatchTheJournalledCycles()
    {
        var desk = _host.Services.GetRequiredService<FlashArbDesk>();
        var bus = _host.Services.GetRequiredService<IBus>();
        var float0 = await chain.Balance(chain.Lender);
        var venue0 = await chain.Balance(LocalChain.PowerVenue);
        var chainCheck = _host.Services.GetServices<IReadinessCheck>().Single(c => c.Name == "chain");
        Assert.True(chainCheck.Enabled);
        Assert.True((await chainCheck.Check(default)).Ok);

        var (started, errors) = await desk.Start(new Dictionary<string, string> { ["ALLOW_WEEKEND_TRADING"] = "1", ["TRADING_WINDOW_UTC"] = "00:00-00:00" }, "test-trader");
        Assert.Empty(errors);
        Assert.True(started!.Ok, started.Problem);
        for (var i = 0; i < 200 && desk.View.Cycles.Count(c => c.Outcome == CycleOutcome.Completed) < 3; i++)
        {
            await bus.Publish(new ReferencePriceUpdated("GB-SPOT-30", 80m, DateTimeOffset.UtcNow, "test"));
            await bus.Publish(new ReferencePriceUpdated("GB-BASE-M", 83m, DateTimeOffset.UtcNow, "test"));
            await Task.Delay(50);
        }
        await desk.Stop("test-trader");

        var completed = desk.View.Cycles.Where(c => c.Outcome == CycleOutcome.Completed).ToList();
        Assert.True(completed.Count >= 3, string.Join("; ", desk.View.Cycles.Select(c => $"{c.Outcome} {c.Problem}")));
        Assert.All(completed, c => Assert.Matches("^0x[0-9a-f]{64}$", c.LoanTransaction));
        var powerPence = completed.Sum(c => Math.Round(c.Legs[0].Quantity * c.Legs[0].AveragePrice!.Value * 0.5m * 1.0005m * 100m, MidpointRounding.ToPositiveInfinity));
        Assert.Equal((long)powerPence, (long)(await chain.Balance(LocalChain.PowerVenue) - venue0));
        Assert.Equal((long)(completed.Sum(c => c.LoanFeeGbp) * 100m), (long)(await chain.Balance(chain.Lender) - float0));
    }
}
