using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Ops;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;
using Phoenyra.Trading;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>USE_LIVE_FEED: a public ticker prices the flash-arb power market; the demo curve yields to it.</summary>
public sealed class LiveFeedTests
{
    [Fact]
    public async Task ATickersMid_BecomesThePowerMarketsReference_OverTheDemoCurve()
    {
        await using var ticker = await LocalServer.Start((context, _) => context.Response.WriteAsync("""{"symbol":"GBPWR","bidPrice":"91.10","askPrice":"91.30"}"""));
        var folder = Directory.CreateTempSubdirectory("phoenyra-live-feed").FullName;
        var policy = Path.Combine(folder, "policy.yaml");
        await File.WriteAllTextAsync(policy, "version: 1\ntrading_state: active\ndefaults:\n  max_order_mw: 50\n  max_order_notional_eur: 1000000\n  price_band_eur: 100\n  max_exposure_mwh: 1000\n  max_exposure_eur: 5000000\n  submit_rate_per_second: 100000\n  submit_burst: 100000\n  key_rate_per_second: 100000\n  key_burst: 100000\n");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = folder,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = policy,
            ["Phoenyra:Trading:DemoPrices:IntervalMs"] = "100",
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
            ["USE_LIVE_FEED"] = "1", ["LIVE_EXCHANGE"] = "test-exchange", ["LIVE_SYMBOL"] = "GB/PWR", ["LIVE_API_KEY"] = "k", ["LIVE_API_SECRET"] = "s",
            ["LIVE_FEED_URL"] = ticker.Address + "ticker?symbol={symbol}",
        });
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddStrategiesModule();
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();

        MarketInfo? info = null;
        for (var i = 0; i < 100 && info?.BestAsk != 91.4m; i++)
        {
            await Task.Delay(50);
            info = await bus.Send(new GetMarketInfo("GB-SPOT-30"));
        }
        await Task.Delay(500); // the demo curve ticks every 100 ms: it must leave the market to the feed
        info = await bus.Send(new GetMarketInfo("GB-SPOT-30"));

        Assert.Equal((91.0m, 91.4m), (info!.BestBid, info.BestAsk)); // the simulated maker 0.2 either side of the 91.20 mid
        Assert.Equal("/ticker?symbol=GBPWR", ticker.Requests[0].Path);
        Assert.Equal(91.2m, host.Services.GetRequiredService<LiveTickerFeed>().Status.LastPrice);
        await host.StopAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void AnExchangeWithoutAKnownTicker_NeedsLiveFeedUrl()
    {
        var settings = FlashArbSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["USE_LIVE_FEED"] = "1", ["LIVE_EXCHANGE"] = "kraken", ["LIVE_SYMBOL"] = "XBT/EUR", ["LIVE_API_KEY"] = "k", ["LIVE_API_SECRET"] = "s",
        }).Build());

        Assert.StartsWith("LIVE_FEED_URL: is required for LIVE_EXCHANGE=kraken", Assert.Single(settings.Validate()).ToString());
        Assert.Equal("https://api.binance.com/api/v3/ticker/bookTicker?symbol=BTCUSDT", LiveTickerFeed.Url(FlashArbSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LIVE_EXCHANGE"] = "binance", ["LIVE_SYMBOL"] = "BTC/USDT" }).Build())));
    }
}
