using Phoenyra.Tests.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>USE_LIVE_FEED: a public ticker prices the flash-arb power market; the demo curve yields to it.</summary>
public sealed class LiveFeedTests
{
    [Fact]
    public async Task ATickersMid_BecomesThePowerMarketsReference_OverTheDemoCurve()
    {
        await using var ticker = await LocalServer.Start((context, _) => context.Response.WriteAsync("""{"symbol":"GBPWR","bidPrice":"91.10","askPrice":"91.30"}"""));
        await using var desk = await TestDesk.Start(TestDesk.FlashArb("arb", new()
        {
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "true",
            ["Phoenyra:Trading:DemoPrices:IntervalMs"] = "100",
            ["USE_LIVE_FEED"] = "1", ["LIVE_EXCHANGE"] = "test-exchange", ["LIVE_SYMBOL"] = "GB/PWR", ["LIVE_API_KEY"] = "k", ["LIVE_API_SECRET"] = "s",
            ["LIVE_FEED_URL"] = ticker.Address + "ticker?symbol={symbol}",
        }));
        var bus = desk.Bus;

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
        Assert.Equal(91.2m, desk.Services.GetRequiredService<LiveTickerFeed>().Status.LastPrice);
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
