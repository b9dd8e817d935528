using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Forecasting;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.AutoTrading;

/// <summary>
/// The battery's plan, asked for over the bus (<see cref="GetBatteryPlan"/>) by the auto-trader
/// strategy, which trades it under the strategy runtime. Each answer re-plans the next hours from the
/// SoC the battery reports and the best forecast it has (<see cref="PriceForecaster"/>: day-ahead
/// curve, then yesterday's prices from the store, then the latest price). In the background it keeps
/// the forecast's prices (every <see cref="AutoTraderOptions.ReplanSeconds"/>) and loads the day-ahead CSV.
/// </summary>
internal sealed class BatteryPlanner : BackgroundService, IEventHandler<ReferencePriceUpdated>, IEventHandler<DayAheadCurvePublished>, ICommandHandler<GetBatteryPlan, BatteryPlan>
{
    private readonly AutoTraderOptions _options;
    private readonly SiteOptions _site;
    private readonly TelemetryStore _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger<BatteryPlanner> _logger;
    private readonly PriceForecaster _prices;
    private readonly Lock _planning = new();

    public BatteryPlanner(IOptions<AutoTraderOptions> options, IOptions<BessOptions> sites, TelemetryStore telemetry, PriceHistoryStore history, TimeProvider time, ILogger<BatteryPlanner> logger)
    {
        _options = options.Value;
        _site = sites.Value.DefaultSite;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _prices = new PriceForecaster(_options.Market, TimeSpan.FromMinutes(_options.StepMinutes), history);
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

    public ValueTask<BatteryPlan> Handle(GetBatteryPlan query, CancellationToken cancellationToken)
    {
        lock (_planning) return new(Plan());
    }

    private BatteryPlan Plan()
    {
        var now = _time.GetUtcNow();
        var period = _prices.Period(now);
        var reading = _telemetry.Latest(_site.Id);
        var age = reading is null ? (double?)null : Math.Max(0, (now - reading.Time).TotalSeconds);
        var forecast = _prices.Forecast(period, Horizon);
        BatteryPlan Answer(double target, string? problem, IReadOnlyList<PlannedPeriod> ahead) => new(_options.Market, _site.Id, _prices.Start(period), _options.StepMinutes, target,
            _prices.Latest is { } latest ? (decimal)latest : null, _options.LimitOffsetEur, _options.LotMw, age, problem, forecast.Source, ahead);
        if (reading is null) return Answer(0, $"no telemetry from {_site.Id} yet", []);
        if (_prices.Latest is null) return Answer(0, $"no price for {_options.Market} yet", []);
        var min = _site.SocMinPercent / 100 * _site.CapacityMwh;
        var max = _site.SocMaxPercent / 100 * _site.CapacityMwh;
        var soc = Math.Clamp(reading.SocPercent / 100 * _site.CapacityMwh, min, max);
        var battery = new StorageParameters(_site.PowerMw, _site.CapacityMwh, _site.ChargeEfficiency, _site.DischargeEfficiency, min, max, soc);
        var plan = SlopeTrickSolver.Solve(forecast.Prices, _options.StepMinutes / 60, battery);
        var ahead = Enumerable.Range(0, forecast.Prices.Length)
            .Select(k => new PlannedPeriod(_prices.Start(period + k), forecast.Prices[k], Math.Round(plan.DischargeMw[k] - plan.ChargeMw[k], 4))).ToList();
        return Answer(plan.DischargeMw[0] - plan.ChargeMw[0], null, ahead);
    }

    private void Expect(DayAheadCurvePublished curve)
    {
        try
        {
            _prices.Expect(curve);
            _logger.LogInformation("Battery planner: day-ahead curve for {Market} from {Source}, {Count} prices from {Start:u}", curve.Market, curve.Source, curve.Prices.Count, curve.Start);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException)
        {
            _logger.LogWarning("Battery planner: the day-ahead curve from {Source} is used but not stored ({Problem})", curve.Source, ex.Message);
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
            _logger.LogWarning("Battery planner: {File} has no prices between {From:u} and {To:u} (it covers {First:u} to {Last:u}); not used",
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
        catch (System.Data.Common.DbException ex)
        {
            _logger.LogWarning("Battery planner: price history not stored this time ({Problem}); it is kept and retried", ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _prices.Load(_time.GetUtcNow());
        LoadDayAheadCsv();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ReplanSeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) SaveHistory();
        }
        catch (OperationCanceledException) { }
    }
}
