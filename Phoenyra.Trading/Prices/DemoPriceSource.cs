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

    // A market fed by a CSV replay gets no demo prices.
    private readonly Dictionary<string, DemoPricePath> _paths = markets.Value.Specs()
        .Where(spec => string.IsNullOrWhiteSpace(replay.Value.File) || spec.Id != replay.Value.Market)
        .Select((spec, i) => (spec, path: new DemoPricePath(options.Value.Seed + i, spec.Role == MarketRole.Futures)))
        .ToDictionary(p => p.spec.Id, p => p.path);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.IntervalMs), time);
        do
        {
            var now = time.GetUtcNow();
            foreach (var (market, path) in _paths)
            {
                if (_external.TryGetValue(market, out var seen) && now - seen < YieldTo) continue;
                var tick = new ReferencePriceUpdated(market, path.Next(now), now, Source);
                history.Add(tick);
                await bus.Publish(tick, stoppingToken);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public ValueTask Handle(ReferencePriceUpdated @event, CancellationToken cancellationToken)
    {
        if (@event.Source != Source) _external[@event.Market] = @event.Time;
        return ValueTask.CompletedTask;
    }

    private const string Source = "demo";
}

/// <summary>One market's demo price path.</summary>
internal sealed class DemoPricePath(int seed, bool dailyMean)
{
    private static readonly TimeSpan Reversion = TimeSpan.FromMinutes(15);
    private readonly Random _random = new(seed);
    private readonly double _spread = dailyMean ? 2.0 : 6.0;
    private double _noise;
    private DateTimeOffset? _last;

    /// <summary>The price at <paramref name="now"/>, advancing the noise by the time since the last call.</summary>
    public decimal Next(DateTimeOffset now)
    {
        var dt = _last is null ? Reversion : now - _last.Value;
        _last = now;
        var decay = Math.Exp(-dt / Reversion);
        _noise = _noise * decay + _spread * Math.Sqrt(1 - decay * decay) * Gaussian();
        var level = dailyMean ? IntradayCurve.DailyMean(now) : IntradayCurve.At(now);
        return Math.Round((decimal)(level + _noise), 2);
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
