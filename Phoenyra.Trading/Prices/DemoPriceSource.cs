using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Prices;

/// <summary>
/// Publishes a live reference price for every market: the intraday day shape (futures: its daily
/// mean) plus mean-reverting noise (an Ornstein-Uhlenbeck process, 15-minute time scale).
/// </summary>
internal sealed class DemoPriceSource(IBus bus, PriceHistory history, IOptions<DemoPriceOptions> options, IOptions<TradingOptions> markets,
    IOptions<CsvReplayOptions> replay, TimeProvider time)
    : BackgroundService, IEventHandler<ReferencePriceUpdated>
{
    /// <summary>A market another source priced this recently is left to it (a live feed takes precedence over the demo curve).</summary>
    private static readonly TimeSpan YieldTo = TimeSpan.FromSeconds(30);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _external = new(StringComparer.Ordinal);

    // A market fed by a CSV replay gets no demo prices; a 'follow' market tracks the first intraday market of its currency.
    private readonly Dictionary<string, DemoPricePath> _paths = markets.Value.Markets
        .Where(market => string.IsNullOrWhiteSpace(replay.Value.File) || market.Id != replay.Value.Market)
        .Select((market, i) => (market, path: new DemoPricePath(options.Value.Seed + i + (market.Shape == DemoPriceShape.Follow ? 1000 : 0), market.Shape,
            market.Shape == DemoPriceShape.Follow ? markets.Value.Markets.FirstOrDefault(m => m.Currency == market.Currency && m.Shape == DemoPriceShape.Intraday)?.Id : null)))
        .OrderBy(p => p.market.Shape == DemoPriceShape.Follow) // leaders first, so a follower sees this tick's price
        .ToDictionary(p => p.market.Id, p => p.path);

    private readonly Dictionary<string, decimal> _last = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.IntervalMs), time);
        DateTime? curveDay = null;
        do
        {
            var now = time.GetUtcNow();
            if (curveDay != now.UtcDateTime.Date)
            {
                curveDay = now.UtcDateTime.Date;
                await PublishDayAhead(now, stoppingToken);
            }
            foreach (var (market, path) in _paths)
            {
                if (_external.TryGetValue(market, out var seen) && now - seen < YieldTo) continue;
                var price = path.Next(now, path.Leader is { } leader && _last.TryGetValue(leader, out var led) ? led : null);
                _last[market] = price;
                var tick = new ReferencePriceUpdated(market, price, now, Source);
                history.Add(tick);
                await bus.Publish(tick, stoppingToken);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// The demo's day-ahead expectation: its day shape without the noise, per product period, for
    /// today and tomorrow (UTC), published at start and at each UTC midnight.
    /// </summary>
    private async Task PublishDayAhead(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var market in markets.Value.Markets.Where(m => m.Shape == DemoPriceShape.Intraday && _paths.ContainsKey(m.Id)))
        {
            var step = TimeSpan.FromHours((double)market.ProductHours);
            var prices = Enumerable.Range(0, (int)(TimeSpan.FromDays(2) / step))
                .Select(k => Math.Round((decimal)IntradayCurve.At(today + step * k + step / 2), 2)).ToArray();
            await bus.Publish(new DayAheadCurvePublished(market.Id, today, step, prices, Source), cancellationToken);
        }
    }

    public ValueTask Handle(ReferencePriceUpdated @event, CancellationToken cancellationToken)
    {
        if (@event.Source != Source) _external[@event.Market] = @event.Time;
        return ValueTask.CompletedTask;
    }

    private const string Source = "demo";
}

/// <summary>
/// One market's demo price path: its level (the day shape, the day's mean, or for a follower its
/// leader's price plus a 1.00 premium) plus mean-reverting noise — 15 minutes for the curves, 1 minute
/// for a follower, so the spread between a follower and its leader opens and closes every minute or two.
/// </summary>
internal sealed class DemoPricePath(int seed, DemoPriceShape shape, string? leader = null)
{
    private readonly TimeSpan Reversion = shape == DemoPriceShape.Follow ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(15);
    private readonly Random _random = new(seed);
    private readonly double _spread = shape == DemoPriceShape.Intraday ? 6.0 : 2.0;

    /// <summary>A follower trades at a small premium to its leader (contango), so the spread is worth taking about half the time.</summary>
    private readonly double _premium = shape == DemoPriceShape.Follow ? 1.0 : 0.0;

    /// <summary>The market a follower tracks.</summary>
    public string? Leader => leader;
    private double _noise;
    private DateTimeOffset? _last;

    /// <summary>The price at <paramref name="now"/>, advancing the noise by the time since the last call.</summary>
    public decimal Next(DateTimeOffset now, decimal? leaderPrice = null)
    {
        var dt = _last is null ? Reversion : now - _last.Value;
        _last = now;
        var decay = Math.Exp(-dt / Reversion);
        _noise = _noise * decay + _spread * Math.Sqrt(1 - decay * decay) * Gaussian();
        var level = shape == DemoPriceShape.DailyMean ? IntradayCurve.DailyMean(now) : (double?)leaderPrice + _premium ?? IntradayCurve.At(now);
        return Math.Round((decimal)(level + _noise), 2);
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
