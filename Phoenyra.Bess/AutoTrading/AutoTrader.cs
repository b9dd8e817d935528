using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Forecasting;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.AutoTrading;

/// <summary>One product period: what the plan wanted (MW, + discharge) and what was traded.</summary>
public sealed record AutoTraderPeriod(DateTimeOffset Start, double PlannedMw, double ExecutedMw, string? LastDenial);

/// <summary>A period of the latest plan: its forecast price and the power planned for it (MW, + discharge).</summary>
public sealed record PlannedPeriod(DateTimeOffset Start, double ForecastPrice, double PlannedMw);

/// <summary>
/// The auto-trader as an operator follows it: on or off, what it is doing or why it is idle
/// (<see cref="Activity"/>), when it last planned and plans next, and its recent periods.
/// </summary>
public sealed record AutoTraderStatus(bool Enabled, string Market, string Account, DateTimeOffset? LastPlan, string? LastProblem, IReadOnlyList<AutoTraderPeriod> Periods,
    string Activity = "", DateTimeOffset? NextPlan = null, ForecastSource? Forecast = null, IReadOnlyList<PlannedPeriod>? Ahead = null);

/// <summary>
/// Trades the battery's plan. Every few seconds it re-plans the next hours from the SoC the battery
/// reports and the best forecast it has (<see cref="PriceForecaster"/>: day-ahead curve, then
/// yesterday's prices from the store, then the latest price), and sends
/// the difference between this period's planned power and what it has already traded as an IOC
/// order through the risk engine, so BESS guards and limits apply. Off by default; switching it is
/// audited.
/// </summary>
internal sealed class AutoTrader : BackgroundService, IEventHandler<ReferencePriceUpdated>, IEventHandler<TradeExecuted>, IEventHandler<DayAheadCurvePublished>
{
    private readonly AutoTraderOptions _options;
    private readonly SiteOptions _site;
    private readonly TelemetryStore _telemetry;
    private readonly IBus _bus;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<AutoTrader> _logger;
    private readonly PriceForecaster _prices;
    private readonly ConcurrentDictionary<long, double> _planned = new();
    private readonly ConcurrentDictionary<long, double> _executed = new();
    private readonly ConcurrentDictionary<long, string> _denials = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _enabled;
    private DateTimeOffset? _lastPlan;
    private string? _lastProblem;
    private string _activity = "switched off";
    private IReadOnlyList<PlannedPeriod> _ahead = [];

    public AutoTrader(IOptions<AutoTraderOptions> options, IOptions<BessOptions> sites, TelemetryStore telemetry, PriceHistoryStore history, IBus bus, IAuditLog audit,
        TimeProvider time, ILogger<AutoTrader> logger)
    {
        _options = options.Value;
        _site = sites.Value.DefaultSite;
        _telemetry = telemetry;
        _bus = bus;
        _audit = audit;
        _time = time;
        _logger = logger;
        _prices = new PriceForecaster(_options.Market, TimeSpan.FromMinutes(_options.StepMinutes), history);
    }

    public AutoTraderStatus Status
    {
        get
        {
            var now = _prices.Period(_time.GetUtcNow());
            var periods = _planned.Keys.Concat(_executed.Keys).Distinct().Where(p => p > now - 12).OrderDescending()
                .Select(p => new AutoTraderPeriod(_prices.Start(p), Math.Round(_planned.GetValueOrDefault(p), 4), Math.Round(_executed.GetValueOrDefault(p), 4), _denials.GetValueOrDefault(p)))
                .ToList();
            var next = _enabled && _lastPlan is { } last ? last.AddSeconds(_options.ReplanSeconds) : (DateTimeOffset?)null;
            return new AutoTraderStatus(_enabled, _options.Market, _options.Account, _lastPlan, _lastProblem, periods,
                _enabled ? _lastProblem is { } problem ? $"waiting: {problem}" : _activity : "switched off", next, _prices.Forecast(now, Horizon).Source, _ahead);
        }
    }

    public async Task<AutoTraderStatus> SetEnabled(bool enabled, string actor)
    {
        var before = _enabled;
        _enabled = enabled;
        await _audit.Record(actor, enabled ? "autotrader.enable" : "autotrader.disable", new { enabled = before }, new { enabled }, "ok");
        _logger.LogWarning("Auto-trader {State} by {Actor}", enabled ? "ENABLED" : "disabled", actor);
        if (enabled) await Tick();
        return Status;
    }

    private int Horizon => Math.Max(1, (int)Math.Round(_options.HorizonHours * 60 / _options.StepMinutes));

    public ValueTask Handle(ReferencePriceUpdated @event, CancellationToken cancellationToken)
    {
        if (@event.Market == _options.Market) _prices.Observe(@event.Time, (double)@event.Price);
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(DayAheadCurvePublished @event, CancellationToken cancellationToken)
    {
        if (@event.Market == _options.Market) Expect(@event);
        return ValueTask.CompletedTask;
    }

    private void Expect(DayAheadCurvePublished curve)
    {
        try
        {
            _prices.Expect(curve);
            _logger.LogInformation("Auto-trader: day-ahead curve for {Market} from {Source}, {Count} prices from {Start:u}", curve.Market, curve.Source, curve.Prices.Count, curve.Start);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            _logger.LogWarning("Auto-trader: the day-ahead curve from {Source} is used but not stored ({Problem})", curve.Source, ex.Message);
        }
    }

    /// <summary>
    /// The configured day-ahead CSV (the SMARD shape of ../shared/data/prices): the rows from a day
    /// ago to three days ahead become the curve; a file that covers other dates is reported and left.
    /// </summary>
    private void LoadDayAheadCsv()
    {
        if (_options.DayAheadCsv is not { Length: > 0 } file) return;
        var series = Core.Prices.CsvPriceFile.Read(Path.GetFullPath(file));
        var now = _time.GetUtcNow();
        var rows = series.Points.Where(p => p.Time >= now.AddDays(-1) && p.Time < now.AddDays(3)).ToList();
        if (rows.Count == 0)
        {
            _logger.LogWarning("Auto-trader: {File} has no prices between {From:u} and {To:u} (it covers {First:u} to {Last:u}); not used",
                file, now.AddDays(-1), now.AddDays(3), series.Points.FirstOrDefault().Time, series.Points.LastOrDefault().Time);
            return;
        }
        Expect(new DayAheadCurvePublished(_options.Market, rows[0].Time, series.Step, rows.Select(p => p.Price).ToList(), "csv:" + Path.GetFileName(file)));
    }

    private void SaveHistory()
    {
        try
        {
            _prices.Save();
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            _logger.LogWarning("Auto-trader: price history not stored this time ({Problem}); it is kept and retried", ex.Message);
        }
    }

    public ValueTask Handle(TradeExecuted @event, CancellationToken cancellationToken)
    {
        var trade = @event.Trade;
        if (trade.Market != _options.Market) return ValueTask.CompletedTask;
        var mw = trade.NetSoldBy(account => account == _options.Account);
        if (mw != 0) _executed.AddOrUpdate(_prices.Period(trade.Time), mw, (_, v) => v + mw);
        return ValueTask.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _prices.Load(_time.GetUtcNow());
        LoadDayAheadCsv();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ReplanSeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                SaveHistory();
                if (_enabled) await Tick();
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Re-plans and trades what this period still needs.</summary>
    internal async Task Tick()
    {
        await _gate.WaitAsync();
        try
        {
            if (_telemetry.Latest(_site.Id) is not { } reading) { _lastProblem = $"no telemetry from {_site.Id} yet"; return; }
            if (_prices.Latest is not { } reference) { _lastProblem = $"no price for {_options.Market} yet"; return; }
            var now = _time.GetUtcNow();
            var period = _prices.Period(now);
            var stepHours = _options.StepMinutes / 60;
            var min = _site.SocMinPercent / 100 * _site.CapacityMwh;
            var max = _site.SocMaxPercent / 100 * _site.CapacityMwh;
            var soc = Math.Clamp(reading.SocPercent / 100 * _site.CapacityMwh, min, max);
            var battery = new StorageParameters(_site.PowerMw, _site.CapacityMwh, _site.ChargeEfficiency, _site.DischargeEfficiency, min, max, soc);
            var forecast = _prices.Forecast(period, Horizon).Prices;
            var plan = SlopeTrickSolver.Solve(forecast, stepHours, battery);
            var target = plan.DischargeMw[0] - plan.ChargeMw[0];
            _ahead = Enumerable.Range(0, forecast.Length)
                .Select(k => new PlannedPeriod(_prices.Start(period + k), forecast[k], Math.Round(plan.DischargeMw[k] - plan.ChargeMw[k], 4))).ToList();
            _planned[period] = target;
            _lastPlan = now;
            _lastProblem = null;

            var remaining = (decimal)(target - _executed.GetValueOrDefault(period));
            decimal LimitFor(OrderSide side) => Math.Round((decimal)reference + (side == OrderSide.Sell ? -_options.LimitOffsetEur : _options.LimitOffsetEur), 2);
            var quantity = Math.Floor(Math.Abs(remaining) / _options.LotMw) * _options.LotMw;
            if (quantity < _options.LotMw)
            {
                _activity = target == 0
                    ? "idle: the plan holds the battery this period"
                    : $"idle: this period's plan ({PlannedPower.Describe(target)}) is traded";
                return;
            }
            var side = remaining > 0 ? OrderSide.Sell : OrderSide.Buy;
            _activity = $"trading: {Codes.Of(side).ToUpperInvariant()} {quantity} MW IOC @ {LimitFor(side)} toward {PlannedPower.Describe(target)}";
            var result = await _bus.Send(new SubmitOrder(_options.Market, side, quantity, LimitFor(side), OrderType.Limit, TimeInForce.Ioc, _options.Account, $"plan-{period}"));
            if (result.Status == OrderStatus.Rejected)
            {
                _denials[period] = $"{Codes.Of(result.Reason)}: {result.Message}";
                _activity = $"denied: {Codes.Of(result.Reason)} ({result.Message})";
                _logger.LogInformation("Auto-trader {Side} {Quantity} MW denied: {Reason}", side, quantity, result.Message);
            }
        }
        catch (Exception ex) when (ex is CommandValidationException or InvalidOperationException or ArgumentException)
        {
            _lastProblem = ex.Message;
            _logger.LogWarning("Auto-trader could not plan or trade: {Problem}", ex.Message);
        }
        finally
        {
            _gate.Release();
        }
    }
}
