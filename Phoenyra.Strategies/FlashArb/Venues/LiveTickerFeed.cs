using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.FlashArb.Venues;

/// <summary>What the live feed last did: the price it published, or why it could not.</summary>
public sealed record LiveFeedStatus(bool Enabled, string? Url, decimal? LastPrice, DateTimeOffset? LastUpdate, string? LastProblem);

/// <summary>
/// <c>USE_LIVE_FEED</c>: every second, the public REST ticker of <c>LIVE_EXCHANGE</c> for
/// <c>LIVE_SYMBOL</c> (its mid) becomes the reference price of the flash-arb power market, so the
/// paper venues quote around live data (the demo curve yields to it). <c>LIVE_FEED_URL</c> (ours,
/// with <c>{symbol}</c>) points at any ticker answering <c>bid</c>/<c>ask</c>, <c>bidPrice</c>/<c>askPrice</c>
/// or <c>price</c>; without it, Binance's book ticker is used for <c>LIVE_EXCHANGE=binance</c>.
/// Calls go through the same Polly pipeline as the venues; a failing ticker, or one answering a price
/// beyond <see cref="VenueHttp.MaxMagnitude"/>, faults the feed (health says why, <c>pho_venue_faults_total</c>
/// counts it, no price is published), never the host.
/// </summary>
internal sealed class LiveTickerFeed(IOptions<FlashArbSettings> settings, IOptions<StrategiesOptions> strategies, IBus bus, FlashArbMetrics metrics, TimeProvider time, ILogger<LiveTickerFeed> logger)
    : BackgroundService
{
    public const string BinanceTicker = "https://api.binance.com/api/v3/ticker/bookTicker?symbol={symbol}";

    private volatile LiveFeedStatus _status = new(false, null, null, null, null);

    public LiveFeedStatus Status => _status;

    /// <summary>The ticker URL for the settings, or null when the exchange has no known ticker and no LIVE_FEED_URL is set.</summary>
    public static string? Url(FlashArbSettings s)
    {
        var symbol = (s["LIVE_SYMBOL"] ?? "").Replace("/", "", StringComparison.Ordinal).ToUpperInvariant();
        var template = s["LIVE_FEED_URL"] ?? (s["LIVE_EXCHANGE"]?.ToLowerInvariant() == "binance" ? BinanceTicker : null);
        return template?.Replace("{symbol}", Uri.EscapeDataString(symbol), StringComparison.Ordinal);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var s = settings.Value;
        var market = strategies.Value.Instances.FirstOrDefault(i => i.Kind == StrategyKinds.FlashArb)?.Market;
        if (!s.UseLiveFeed || market is null || Url(s) is not { } url) return;
        _status = new LiveFeedStatus(true, url, null, null, null);
        var http = new VenueHttp($"live feed {s["LIVE_EXCHANGE"]}", new HttpClient(), VenuePatience.Default, time, metrics.VenueFaults);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            do
            {
                var (body, problem) = await http.Call(() => new HttpRequestMessage(HttpMethod.Get, url), stoppingToken);
                if (http.Fault(body, "bid", "bidPrice", "ask", "askPrice", "price", "lastPrice") is { } fault) (body, problem) = (null, fault);
                var bid = VenueHttp.Number(body, "bid") ?? VenueHttp.Number(body, "bidPrice");
                var ask = VenueHttp.Number(body, "ask") ?? VenueHttp.Number(body, "askPrice");
                var price = bid is { } b && ask is { } a ? Math.Round((b + a) / 2, 2) : VenueHttp.Number(body, "price") ?? VenueHttp.Number(body, "lastPrice");
                if (price is { } p)
                {
                    var now = time.GetUtcNow();
                    await bus.Publish(new ReferencePriceUpdated(market, p, now, $"live:{s["LIVE_EXCHANGE"]}"), stoppingToken);
                    _status = _status with { LastPrice = p, LastUpdate = now, LastProblem = null };
                }
                else if ((problem ?? "the ticker has no bid/ask or price") is var why && why != _status.LastProblem)
                {
                    logger.LogWarning("Live feed: {Problem}", why);
                    _status = _status with { LastProblem = why };
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}
