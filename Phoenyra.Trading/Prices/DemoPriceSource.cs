using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Prices;

/// <summary>
/// Publishes a live reference price for one market: the intraday day shape plus mean-reverting
/// noise (an Ornstein-Uhlenbeck process with a 15-minute half-life scale and a 6 €/MWh spread).
/// </summary>
internal sealed class DemoPriceSource(IBus bus, PriceHistory history, IOptions<DemoPriceOptions> options, TimeProvider time)
    : BackgroundService
{
    private const double NoiseSpread = 6.0;
    private static readonly TimeSpan Reversion = TimeSpan.FromMinutes(15);

    private readonly Random _random = new(options.Value.Seed);
    private double _noise;
    private DateTimeOffset? _last;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.IntervalMs), time);
        do
        {
            var tick = new ReferencePriceUpdated(settings.Market, Next(time.GetUtcNow()), time.GetUtcNow(), "demo");
            history.Add(tick);
            await bus.Publish(tick, stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The price at <paramref name="now"/>, advancing the noise by the time since the last call.</summary>
    internal decimal Next(DateTimeOffset now)
    {
        var dt = _last is null ? Reversion : now - _last.Value;
        _last = now;
        var decay = Math.Exp(-dt / Reversion);
        _noise = _noise * decay + NoiseSpread * Math.Sqrt(1 - decay * decay) * Gaussian();
        return Math.Round((decimal)(IntradayCurve.At(now) + _noise), 2);
    }

    private double Gaussian()
    {
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
