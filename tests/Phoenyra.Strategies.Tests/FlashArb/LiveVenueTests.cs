using Phoenyra.Tests.Shared;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>The live ICE and Powerledger adapters against local servers speaking the documented shapes, and misbehaving: timeouts, 5xx, bad bodies.</summary>
public sealed class LiveVenueTests
{
    private static readonly VenuePatience Quick = new(TimeSpan.FromSeconds(1), 2, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), 3);
    private static readonly LegQuote HalfHourLots = new(null, null, 0.5m, 0.1m, 50m);

    private static IceLeg Ice(LocalServer server, VenuePatience? patience = null) =>
        new(new VenueHttp("ICE", new HttpClient(), patience ?? Quick, TimeProvider.System), server.Address.ToString(), "UKBASE-M", "ice-key", "ice-secret", HalfHourLots, TimeProvider.System);

    private static PowerledgerLeg Powerledger(LocalServer server) =>
        new(new VenueHttp("Powerledger", new HttpClient(), Quick, TimeProvider.System), server.Address.ToString(), "pl-token", "org-7", "uk-grid-24h-ahead", HalfHourLots);

    [Fact]
    public async Task Ice_QuotesAndFills_WithSignedRequests()
    {
        await using var ice = await LocalServer.Start(async (context, body) =>
        {
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("ice-secret"), Encoding.UTF8.GetBytes(context.Request.Headers["X-TIMESTAMP"] + body)));
            if (context.Request.Headers["X-API-KEY"] != "ice-key" || context.Request.Headers["X-SIGNATURE"] != expected)
            {
                context.Response.StatusCode = 401;
                await context.Response.WriteAsync("""{"error":"bad signature"}""");
                return;
            }
            await context.Response.WriteAsync(context.Request.Path == "/marketdata/UKBASE-M/price"
                ? """{"bid":82.8,"ask":83.2}"""
                : """{"status":"FILLED","filled_quantity":5,"average_price":82.8}""");
        });
        var leg = Ice(ice);

        var quote = await leg.Quote(default);
        var fill = await leg.Trade(OrderSide.Sell, 5, 82.8m, "FA-1-FUTURES", default);

        Assert.Equal((82.8m, 83.2m, 0.5m), (quote!.Bid, quote.Ask, quote.ProductHours));
        Assert.Equal((5m, 82.8m, (string?)null), (fill.Quantity, fill.AveragePrice, fill.Problem));
        // A slow first answer may be retried: every attempt carries the same client order id for the venue to deduplicate.
        var posts = ice.Requests.Where(r => r.Method == "POST").Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.All(posts, p => Assert.Equal("FA-1-FUTURES", p.GetProperty("client_order_id").GetString()));
        var order = posts[^1];
        Assert.Equal(("SELL", "IOC", "FA-1-FUTURES"), (order.GetProperty("side").GetString(), order.GetProperty("time_in_force").GetString(), order.GetProperty("client_order_id").GetString()));
    }

    [Fact]
    public async Task ServerErrorsAndTimeouts_AreRetried_ThenTheAnswerIsUsed()
    {
        var calls = 0;
        await using var ice = await LocalServer.Start(async (context, _) =>
        {
            switch (Interlocked.Increment(ref calls))
            {
                case 1: context.Response.StatusCode = 503; return;
                case 2: await Task.Delay(5_000, context.RequestAborted).ContinueWith(_ => { }); return; // beyond the 1 s per attempt
                default: await context.Response.WriteAsync("""{"bid":"82.80","ask":"83.20"}"""); return;
            }
        });

        var quote = await Ice(ice).Quote(default);

        Assert.Equal(82.8m, quote!.Bid);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task AMalformedAnswer_FillsNothing_AndSaysSo()
    {
        await using var ice = await LocalServer.Start((context, _) => context.Response.WriteAsync("<html>maintenance</html>"));
        var leg = Ice(ice);

        Assert.Null(await leg.Quote(default));
        var fill = await leg.Trade(OrderSide.Sell, 5, 82.8m, "FA-2-FUTURES", default);
        Assert.Equal(0m, fill.Quantity);
        Assert.Contains("not JSON", fill.Problem);
    }

    [Fact]
    public async Task AVenueThatKeepsFailing_OpensTheCircuit_AndIsNotCalledForAWhile()
    {
        await using var ice = await LocalServer.Start((context, _) => { context.Response.StatusCode = 500; return Task.CompletedTask; });
        var leg = Ice(ice);

        for (var i = 0; i < Quick.MinimumThroughput; i++) Assert.Null(await leg.Quote(default)); // each after its retries
        var before = ice.Requests.Count;
        var fill = await leg.Trade(OrderSide.Sell, 5, 82.8m, "FA-3-FUTURES", default);

        Assert.Contains("circuit open", fill.Problem);
        Assert.Equal(before, ice.Requests.Count);
    }

    [Fact]
    public async Task Powerledger_SendsTheBearerOrgAndMarketOnEveryOrder()
    {
        await using var pl = await LocalServer.Start(async (context, body) =>
        {
            if (context.Request.Headers.Authorization != "Bearer pl-token") { context.Response.StatusCode = 401; return; }
            await context.Response.WriteAsync(context.Request.Method == "GET" ? """{"bid":79.8,"ask":80.2}""" : """{"filled_quantity":5,"average_price":80.2}""");
        });
        var leg = Powerledger(pl);

        Assert.Equal(80.2m, (await leg.Quote(default))!.Ask);
        Assert.Equal(5m, (await leg.Trade(OrderSide.Buy, 5, 80.2m, "FA-4-POWER", default)).Quantity);
        Assert.Equal("/markets/uk-grid-24h-ahead/quote", pl.Requests.First(r => r.Method == "GET").Path);
        var order = JsonDocument.Parse(pl.Requests.Last(r => r.Method == "POST").Body).RootElement;
        Assert.Equal(("org-7", "uk-grid-24h-ahead", "buy"), (order.GetProperty("org").GetString(), order.GetProperty("market").GetString(), order.GetProperty("side").GetString()));
    }

    [Fact]
    public async Task ACycleOverBothLiveVenues_Completes_AndTheLenderEarnsItsFee()
    {
        await using var pl = await LocalServer.Start((context, _) => context.Response.WriteAsync(context.Request.Method == "GET" ? """{"bid":79.8,"ask":80.2}""" : """{"filled_quantity":5,"average_price":80.2}"""));
        await using var ice = await LocalServer.Start((context, _) => context.Response.WriteAsync(context.Request.Method == "GET" ? """{"bid":82.8,"ask":83.2}""" : """{"filled_quantity":5,"average_price":82.8}"""));
        var settings = FlashArbSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ALLOW_WEEKEND_TRADING"] = "1", ["TRADING_WINDOW_UTC"] = "00:00-00:00", ["MAX_NOTIONAL_PER_TRADE"] = "401.5",
        }).Build());
        var lender = new InProcessFlashLender(100_000m, 5m);
        using var meters = new TestMeters();
        var cycle = new FlashArbCycle(settings, Powerledger(pl), Ice(ice), lender, new FlashArbMetrics(meters), NullLogger.Instance);

        var result = await cycle.Run(DateTimeOffset.UtcNow, 0, default);

        Assert.Equal(CycleOutcome.Completed, result.Outcome);
        Assert.Equal(["Powerledger uk-grid-24h-ahead", "ICE UKBASE-M"], result.Legs.Select(l => l.Venue));
        Assert.True(result.ProfitGbp > 0);
        Assert.Equal(result.LoanFeeGbp, lender.Earned);
    }
}
