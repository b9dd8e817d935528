using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Envelope;
using Phoenyra.Bess.Sites;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.Imbalance;

/// <summary>One settled quarter-hour: committed and metered power, the deviation, its price (and where that came from) and cost.</summary>
public sealed record ImbalancePeriod(DateTimeOffset Start, double CommittedMw, double MeteredMw, double DeviationMwh, double? PriceEur, string PriceSource, double? CostEur);

/// <summary>Imbalance so far: the settled quarters (newest first), the cost since the desk started and the price file in use.</summary>
public sealed record ImbalanceStatus(string PriceSource, double CumulativeCostEur, double UnpricedMwh, IReadOnlyList<ImbalancePeriod> Periods);

/// <summary>
/// Settles each quarter-hour once it is over: the desk battery's metered energy (its telemetry's
/// power, each reading held until the next) against the committed schedule of the envelope, priced
/// at reBAP where the configured file covers the quarter, else at the proxy market's last price.
/// </summary>
internal sealed class ImbalanceTracker(IOptions<ImbalanceOptions> options, IOptions<BessOptions> sites, EnvelopeTracker envelope,
    TimeProvider time, ILogger<ImbalanceTracker> logger)
    : BackgroundService, IEventHandler<TelemetryReceived>, IEventHandler<ReferencePriceUpdated>
{
    private const int KeptPeriods = 96;
    private static readonly double StepHours = EnvelopeTracker.Grid.TotalHours;

    private readonly string _site = sites.Value.DefaultSite.Id;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, double> _meteredMwh = new();
    private readonly ConcurrentDictionary<long, double> _proxyPrice = new();
    private readonly LinkedList<ImbalancePeriod> _settled = new();
    private (DateTimeOffset Time, double Mw)? _last;
    private long _nextToSettle = -1;
    private double _cumulative, _unpriced;
    private ImbalancePrices _prices = ImbalancePrices.None;

    public ImbalanceStatus Status
    {
        get { lock (_gate) return new ImbalanceStatus(_prices.Source, Math.Round(_cumulative, 2), Math.Round(_unpriced, 4), _settled.ToList()); }
    }

    public ValueTask Handle(TelemetryReceived @event, CancellationToken cancellationToken)
    {
        if (@event.Site != _site) return ValueTask.CompletedTask;
        lock (_gate)
        {
            if (_last is { } last && @event.Time > last.Time) Integrate(last.Time, @event.Time, last.Mw);
            if (_last is null || @event.Time >= _last.Value.Time) _last = (@event.Time, @event.ActivePowerMw);
            if (_nextToSettle < 0) _nextToSettle = EnvelopeTracker.Quarter(@event.Time) + 1; // the first whole quarter
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(ReferencePriceUpdated @event, CancellationToken cancellationToken)
    {
        if (@event.Market == options.Value.ProxyMarket) _proxyPrice[EnvelopeTracker.Quarter(@event.Time)] = (double)@event.Price;
        return ValueTask.CompletedTask;
    }

    /// <summary>Adds power held from <paramref name="from"/> to <paramref name="to"/> to the quarters it spans (MWh, + discharge).</summary>
    private void Integrate(DateTimeOffset from, DateTimeOffset to, double mw)
    {
        for (var t = from; t < to;)
        {
            var quarter = EnvelopeTracker.Quarter(t);
            var end = EnvelopeTracker.Start(quarter + 1) < to ? EnvelopeTracker.Start(quarter + 1) : to;
            _meteredMwh[quarter] = _meteredMwh.GetValueOrDefault(quarter) + mw * (end - t).TotalHours;
            t = end;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PriceCsv is { Length: > 0 } file)
        {
            _prices = ImbalancePrices.Read(Path.GetFullPath(file));
            logger.LogInformation("Imbalance prices: {Count} periods from {File}", _prices.Count, file);
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Settle(time.GetUtcNow());
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Settles every whole quarter that has ended, once the battery's reading covers its end.</summary>
    internal void Settle(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_nextToSettle < 0 || _last is not { } last) return;
            // Hold the last reading up to now, so a quiet device still meters its last power.
            if (now > last.Time) { Integrate(last.Time, now, last.Mw); _last = (now, last.Mw); }
            var current = EnvelopeTracker.Quarter(now);
            for (; _nextToSettle < current; _nextToSettle++)
            {
                var start = EnvelopeTracker.Start(_nextToSettle);
                var committed = envelope.Committed(_nextToSettle);
                var metered = _meteredMwh.GetValueOrDefault(_nextToSettle);
                _meteredMwh.Remove(_nextToSettle);
                var (price, source) = _prices.At(start) is { } rebap ? ((Surplus: rebap.Surplus, Shortfall: rebap.Shortfall), _prices.Source)
                    : _proxyPrice.TryGetValue(_nextToSettle, out var proxy) ? ((Surplus: proxy, Shortfall: proxy), $"proxy: {options.Value.ProxyMarket}")
                    : ((Surplus: double.NaN, Shortfall: double.NaN), "no price");
                var (deviation, cost) = ImbalanceSettlement.Settle(committed, metered, StepHours, price.Surplus, price.Shortfall);
                var priced = !double.IsNaN(cost);
                if (priced) _cumulative += cost; else _unpriced += Math.Abs(deviation);
                _settled.AddFirst(new ImbalancePeriod(start, committed, Math.Round(metered / StepHours, 4), Math.Round(deviation, 4),
                    priced ? (deviation >= 0 ? price.Surplus : price.Shortfall) : null, source, priced ? Math.Round(cost, 2) : null));
                if (_settled.Count > KeptPeriods) _settled.RemoveLast();
                _proxyPrice.TryRemove(_nextToSettle, out _);
            }
        }
    }
}
