using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary: a live feed answering <c>1e29</c> faults that feed (health and metrics say so)
/// and the desk keeps running; a background service that does fail stops the desk with exit code 70,
/// so systemd's <c>Restart=always</c> brings it back.
/// </summary>
public sealed class FeedFaultTests
{
    private const string ViewerKey = "feed-viewer-key-0123456789abcdefgh";

    [Fact]
    public async Task ALiveFeedAnswering1e29_FaultsTheFeed_TheDeskKeepsRunning_AndTheFeedRecovers()
    {
        var answer = """{"bid":"1e29","ask":1e29}""";
        await using var ticker = await LocalServer.Start((context, _) => context.Response.WriteAsync(Volatile.Read(ref answer)));
        await using var desk = new DeskProcess();
        desk.Environment["API_KEY"] = ViewerKey;
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["USE_LIVE_FEED"] = "1", ["LIVE_EXCHANGE"] = "test", ["LIVE_SYMBOL"] = "GBPWR", ["LIVE_API_KEY"] = "k", ["LIVE_API_SECRET"] = "s",
                     ["LIVE_FEED_URL"] = ticker.Address + "ticker?symbol={symbol}",
                 })
            desk.Environment[key] = value;
        await desk.Start();
        using var viewer = desk.Client(ViewerKey);

        var feed = await Eventually(viewer, f => f.GetProperty("detail").GetString()!.Contains("1e29"), "the feed never reported the 1e29 answer");
        Assert.False(feed.GetProperty("ok").GetBoolean());
        Assert.Contains("live feed test answered bid=1e29, not a number within ±1,000,000,000", feed.GetProperty("detail").GetString());
        Assert.Contains("pho_venue_faults_total{venue=\"live feed test\"}", await viewer.GetStringAsync("/metrics"));
        for (var i = 0; i < 100 && ticker.Requests.Count < 3; i++) await Task.Delay(100);
        Assert.True(ticker.Requests.Count >= 3, "the feed stopped asking after the bad answer");

        Volatile.Write(ref answer, """{"bid":"91.10","ask":"91.30"}""");
        feed = await Eventually(viewer, f => f.GetProperty("ok").GetBoolean(), "the feed did not recover once the ticker answered sensibly");
        Assert.Contains("91.2", feed.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABackgroundServiceThatFails_StopsTheDesk_WithExitCode70_AndSaysWhich()
    {
        await using var desk = new DeskProcess();
        desk.Environment["Phoenyra__Trading__CsvReplay__File"] = "/proc/self/mem"; // a file that exists and cannot be read (EIO)

        var stopped = await Assert.ThrowsAsync<InvalidOperationException>(desk.Start);

        Assert.Contains("The desk exited with code 70", stopped.Message);
        Assert.Contains("Phoenyra stopped because CsvReplaySource failed: Input/output error", stopped.Message);
    }

    [Fact]
    public async Task AReferencePriceOutsideTheMarketsBand_NeverReachesTheBook_AndIsCounted()
    {
        using var desk = new DeskFactory();
        var bus = desk.Services.GetRequiredService<IBus>();
        await bus.Publish(new ReferencePriceUpdated("DE-ID-60", 91.5m, DateTimeOffset.UtcNow, "test"));
        MarketInfo? before = null;
        for (var i = 0; i < 50 && before?.BestAsk != 91.7m; i++, await Task.Delay(50)) before = await bus.Send(new GetMarketInfo("DE-ID-60"));
        Assert.Equal((91.3m, 91.7m), (before!.BestBid, before.BestAsk)); // the simulated maker 0.2 either side

        await bus.Publish(new ReferencePriceUpdated("DE-ID-60", 1e20m, DateTimeOffset.UtcNow, "test"));
        await Task.Delay(300);

        var after = await bus.Send(new GetMarketInfo("DE-ID-60"));
        Assert.Equal((91.3m, 91.7m), (after!.BestBid, after.BestAsk));
        Assert.Contains("pho_reference_prices_refused_total{market=\"DE-ID-60\"} 1", await desk.ClientWithKey(DeskFactory.ViewerKey).GetStringAsync("/metrics"));
    }

    private static async Task<JsonElement> Eventually(HttpClient viewer, Func<JsonElement, bool> condition, string message)
    {
        JsonElement feed = default;
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var health = JsonDocument.Parse(await (await viewer.GetAsync("/healthz")).Content.ReadAsStringAsync()).RootElement; // 503 while degraded
            feed = health.GetProperty("checks").GetProperty("live feed");
            if (condition(feed)) return feed;
            await Task.Delay(100);
        }
        Assert.Fail($"{message}: {feed}");
        return feed;
    }
}
