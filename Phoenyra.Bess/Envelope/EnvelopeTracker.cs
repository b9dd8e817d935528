using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Cluster;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Security;

namespace Phoenyra.Bess.Envelope;

/// <summary>
/// Keeps the battery's committed schedule (net MW per quarter-hour, from the fills of the accounts
/// that move it: a fill delivers in its market's next product period) and republishes the
/// feasibility envelope of every configured market after readings of the desk's battery and such
/// fills (at most every <see cref="RecomputeEvery"/>). On start the schedule is rebuilt from the journal for the accounts named explicitly.
/// </summary>
internal sealed class EnvelopeTracker(IOptions<EnvelopeOptions> options, IOptions<BessOptions> sites, TelemetryStore telemetry, IBus bus,
    ReservedAccounts reserved, ILeadership leadership, TimeProvider time, ILogger<EnvelopeTracker> logger)
    : BackgroundService, IEventHandler<TelemetryReceived>, IEventHandler<TradeExecuted>
{
    public static readonly TimeSpan Grid = TimeSpan.FromMinutes(15);

    private readonly EnvelopeOptions _options = options.Value;
    private readonly SiteOptions _site = sites.Value.DefaultSite;
    private readonly ConcurrentDictionary<long, double> _committed = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _products = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SocEnvelopeChanged> _latest = new(StringComparer.Ordinal);

    public SocEnvelopeChanged? Latest(string market) => _latest.GetValueOrDefault(market);

    public IReadOnlyList<string> Markets => _options.Enabled ? _options.Markets : [];

    private Func<string, bool>? _moves; // made once: a method group is a new delegate on every trade

    public bool Moves(string account) =>
        _options.Accounts.Contains(account, StringComparer.Ordinal) || (_options.Accounts.Contains("*") && !reserved.IsDesksOwn(account));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        try
        {
            await leadership.Elected.WaitAsync(stoppingToken); // the committed schedule is rebuilt where the engines run
            foreach (var market in _options.Markets)
                foreach (var account in _options.Accounts.Where(a => a != "*"))
                {
                    var activity = await bus.Send(new GetAccountActivity(account, market), stoppingToken);
                    foreach (var fill in activity.Fills)
                        await Commit(market, fill.Time, fill.Side == OrderSide.Sell ? (double)fill.Quantity : -(double)fill.Quantity);
                }
        }
        catch (OperationCanceledException) { return; }
        catch (Exception ex) when (ex is InvalidOperationException or CommandValidationException)
        {
            logger.LogWarning("Feasibility envelope: the committed schedule could not be rebuilt from the journal ({Problem}); it starts from new fills", ex.Message);
        }
        // Readings and fills only mark the envelope stale; it is recomputed at most every RecomputeEvery,
        // so a burst of fills costs one computation, not one each.
        using var timer = new PeriodicTimer(RecomputeEvery, time);
        try
        {
            do
            {
                if (Interlocked.Exchange(ref _stale, 0) == 1) await Publish(stoppingToken);
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }

    public static readonly TimeSpan RecomputeEvery = TimeSpan.FromMilliseconds(200);

    private int _stale = 1;

    public ValueTask Handle(TelemetryReceived @event, CancellationToken cancellationToken)
    {
        if (_options.Enabled && @event.Site == _site.Id) Interlocked.Exchange(ref _stale, 1);
        return ValueTask.CompletedTask;
    }

    public async ValueTask Handle(TradeExecuted @event, CancellationToken cancellationToken)
    {
        var trade = @event.Trade;
        if (!_options.Enabled || !_options.Markets.Contains(trade.Market, StringComparer.Ordinal)) return;
        var mw = trade.NetSoldBy(_moves ??= Moves);
        if (mw == 0) return;
        await Commit(trade.Market, trade.Time, mw);
        Interlocked.Exchange(ref _stale, 1);
    }

    /// <summary>Adds a fill's power to every quarter of the product period it delivers in (the next one after it).</summary>
    private async Task Commit(string market, DateTimeOffset when, double mw)
    {
        var product = await Product(market);
        var perProduct = Math.Max(1, (long)Math.Round(product / Grid));
        var quarter = Quarter(when);
        var start = (quarter / perProduct + 1) * perProduct;
        for (var q = start; q < start + perProduct; q++) _committed.AddOrUpdate(q, mw, (_, v) => v + mw);
    }

    private async Task<TimeSpan> Product(string market)
    {
        if (_products.TryGetValue(market, out var known)) return known;
        var info = await bus.Send(new GetMarketInfo(market));
        var product = TimeSpan.FromHours((double)(info?.ProductHours ?? 0.25m));
        return _products[market] = product;
    }

    public static long Quarter(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / Grid.Ticks;

    public static DateTimeOffset Start(long quarter) => DateTimeOffset.UnixEpoch + Grid * quarter;

    /// <summary>Past quarters stay two days, for the imbalance settlement.</summary>
    private const int KeptQuarters = 192;

    /// <summary>The battery's committed net power in a quarter-hour (MW, + discharge).</summary>
    public double Committed(long quarter) => _committed.GetValueOrDefault(quarter);

    private async Task Publish(CancellationToken cancellationToken)
    {
        if (telemetry.Latest(_site.Id) is not { } reading) return;
        var now = time.GetUtcNow();
        var current = Quarter(now);
        foreach (var old in _committed.Keys.Where(q => q < current - KeptQuarters)) _committed.TryRemove(old, out _);
        var horizon = (int)Math.Ceiling(TimeSpan.FromHours(_options.HorizonHours) / Grid);
        foreach (var market in _options.Markets)
        {
            var product = await Product(market);
            var perProduct = Math.Max(1, (int)Math.Round(product / Grid));
            var committed = Enumerable.Range(0, horizon + 2 * perProduct).Select(k => _committed.GetValueOrDefault(current + k)).ToArray();
            var periods = SocEnvelope.For(_site, reading.SocPercent, now, DateTimeOffset.UnixEpoch + Grid * current, Grid, committed, product, horizon / perProduct);
            var envelope = new SocEnvelopeChanged(market, _options.Accounts, _site.SocMinPercent, _site.SocMaxPercent, periods, now);
            _latest[market] = envelope;
            await bus.Publish(envelope, cancellationToken);
        }
    }
}
