using Phoenyra.Tests.Shared;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>A cycle on live venues interrupted by a crash: what the venues answered is unwound; what they never answered is handed to an operator.</summary>
public sealed class LiveRecoveryTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("phoenyra-live-recovery").FullName;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning", ["Phoenyra:DataDir"] = _folder });
        builder.AddCoreModule().AddStrategiesModule();
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

    private FlashArbStrategy Strategy(LocalServer power, LocalServer ice)
    {
        var rules = new LegQuote(null, null, 0.5m, 0.1m, 50m);
        var pl = new PowerledgerLeg(new VenueHttp("Powerledger", new HttpClient(), VenuePatience.Default, TimeProvider.System), power.Address.ToString(), "t", "org", "uk", rules);
        var ic = new IceLeg(new VenueHttp("ICE", new HttpClient(), VenuePatience.Default, TimeProvider.System), ice.Address.ToString(), "UKBASE-M", "k", "s", rules, TimeProvider.System);
        return new FlashArbStrategy("arb", FlashArbSettings.Read(new ConfigurationBuilder().Build()), pl, ic, new InProcessFlashLender(100_000m, 5m),
            _host.Services.GetRequiredService<FlashArbMetrics>(), _host.Services.GetRequiredService<StrategyJournal>(), _host.Services.GetRequiredService<IBus>(), NullLogger.Instance);
    }

    private void Journal(StrategyEventKind kind, long cycle, CycleLegRecord? leg) =>
        _host.Services.GetRequiredService<StrategyJournal>().Append("arb", new StrategyEvent(kind, DateTimeOffset.UtcNow, cycle, 0, leg is null ? null : JsonSerializer.Serialize(leg, FlashArbStrategy.Json)));

    [Fact]
    public async Task WhatTheVenueAnswered_IsUnwoundOnRestart()
    {
        await using var power = await LocalServer.Start((context, _) => context.Response.WriteAsync("""{"filled_quantity":5,"average_price":80.0}"""));
        await using var ice = await LocalServer.Start((context, _) => context.Response.WriteAsync("""{"filled_quantity":0}"""));
        Journal(StrategyEventKind.CycleOpened, 9, null);
        Journal(StrategyEventKind.CycleLegSent, 9, new CycleLegRecord("FA-9-POWER", "Powerledger uk", OrderSide.Buy, 5, null, null));
        Journal(StrategyEventKind.CycleLegDone, 9, new CycleLegRecord("FA-9-POWER", "Powerledger uk", OrderSide.Buy, 5, 5, 80.2m));

        var strategy = Strategy(power, ice);
        await strategy.Recover(new AccountActivity([], []), _host.Services.GetRequiredService<StrategyJournal>().Read("arb"), default);

        var cycle = Assert.Single(((FlashArbView)strategy.View()).Cycles);
        Assert.Equal(CycleOutcome.UnwoundOnRestart, cycle.Outcome);
        var order = JsonDocument.Parse(Assert.Single(power.Requests).Body).RootElement;
        Assert.Equal(("sell", 5m, "FA-9-RESTART-POWER"), (order.GetProperty("side").GetString(), order.GetProperty("quantity").GetDecimal(), order.GetProperty("client_order_id").GetString()));
        Assert.Empty(ice.Requests);
    }

    [Fact]
    public async Task AnOrderTheVenueNeverAnswered_IsLeftToAnOperator_NamingIt()
    {
        await using var power = await LocalServer.Start((context, _) => context.Response.WriteAsync("""{"filled_quantity":5,"average_price":80.0}"""));
        await using var ice = await LocalServer.Start((context, _) => context.Response.WriteAsync("""{"filled_quantity":5,"average_price":83.0}"""));
        Journal(StrategyEventKind.CycleOpened, 4, null);
        Journal(StrategyEventKind.CycleLegDone, 4, new CycleLegRecord("FA-4-POWER", "Powerledger uk", OrderSide.Buy, 5, 5, 80.2m));
        Journal(StrategyEventKind.CycleLegSent, 4, new CycleLegRecord("FA-4-FUTURES", "ICE UKBASE-M", OrderSide.Sell, 5, null, null));

        var strategy = Strategy(power, ice);
        await strategy.Recover(new AccountActivity([], []), _host.Services.GetRequiredService<StrategyJournal>().Read("arb"), default);

        var cycle = Assert.Single(((FlashArbView)strategy.View()).Cycles);
        Assert.Equal(CycleOutcome.Unresolved, cycle.Outcome);
        Assert.Contains("FA-4-FUTURES", cycle.Problem);
        Assert.Empty(power.Requests);
        Assert.Empty(ice.Requests);
    }
}
