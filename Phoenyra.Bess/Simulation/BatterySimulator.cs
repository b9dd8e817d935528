using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Cluster;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.Simulation;

/// <summary>The simulator yields until <see cref="Until"/>; <see cref="Holding"/>: it re-sends an operator's test reading meanwhile.</summary>
public sealed record SimulatorPause(DateTimeOffset Until, bool Holding);

/// <summary>
/// A battery in paper mode. The desk's fills become power set-points for one delivery period
/// (sells discharge, buys charge); SoC follows with the site's efficiencies and stops at its
/// window, temperature relaxes towards ambient plus heat from power. It reports through the same
/// intake as a real device, so guards and the dashboard cannot tell the difference.
/// </summary>
internal sealed class BatterySimulator : BackgroundService, IEventHandler<TradeExecuted>, IEventHandler<TelemetryReceived>
{
    public const string SourceName = "simulator";

    /// <summary>The source of readings the simulator re-sends while it holds a test reading.</summary>
    public const string HoldSourceName = "simulator-hold";

    /// <summary>Readings posted from the dashboard's test sliders carry this prefix and the operator's key id.</summary>
    public const string DashboardSourcePrefix = "dashboard:";

    private readonly TelemetryIntake _intake;
    private readonly SimulatorOptions _options;
    private readonly SiteOptions _site;
    private readonly TimeProvider _time;
    private readonly ILeadership _leadership;
    private readonly ILogger<BatterySimulator> _logger;
    private readonly Lock _gate = new();
    private readonly List<(DateTimeOffset Until, double Mw)> _setPoints = [];
    private double _soc;
    private double _temperature;
    private DateTimeOffset _pausedUntil;
    private double? _heldPowerMw;
    private TelemetryReceived? _mine; // the site's latest reading as the simulator last knew it (its own, or one it adopted)

    public BatterySimulator(TelemetryIntake intake, IOptions<SimulatorOptions> options, IOptions<BessOptions> sites, ILeadership leadership, TimeProvider time, ILogger<BatterySimulator> logger)
    {
        _intake = intake;
        _leadership = leadership;
        _options = options.Value;
        _site = sites.Value.DefaultSite;
        _time = time;
        _logger = logger;
        _soc = _options.InitialSocPercent;
        _temperature = _options.AmbientC;
    }

    /// <summary>Power in MW the battery is asked for now (positive = discharge).</summary>
    public double SetPointMw
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_gate) return Math.Clamp(_setPoints.Where(s => s.Until > now).Sum(s => s.Mw), -_site.PowerMw, _site.PowerMw);
        }
    }

    private Func<string, bool>? _counts; // made once, not per trade

    public ValueTask Handle(TradeExecuted @event, CancellationToken cancellationToken)
    {
        var trade = @event.Trade;
        var mw = trade.NetSoldBy(_counts ??= account => !_options.IgnoreAccounts.Contains(account));
        if (mw != 0)
            lock (_gate) _setPoints.Add((_time.GetUtcNow().AddMinutes(_options.DeliveryMinutes), mw));
        return ValueTask.CompletedTask;
    }


    /// <summary>Until when the simulator yields, and whether it holds an operator's test reading meanwhile.</summary>
    public SimulatorPause? Pause
    {
        get
        {
            lock (_gate) return _time.GetUtcNow() < _pausedUntil ? new SimulatorPause(_pausedUntil, _heldPowerMw is not null) : null;
        }
    }

    /// <summary>Ends a pause now: the simulator continues from the state it adopted.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            _pausedUntil = DateTimeOffset.MinValue;
            _heldPowerMw = null;
        }
    }

    /// <summary>
    /// Someone else reported: adopt their state and pause. A real device then reports for itself; a
    /// test reading from the dashboard is held (re-sent every interval) while the pause lasts, so a
    /// guard test never trips the stale-telemetry guard and puts the desk in reducing mode.
    /// </summary>
    public ValueTask Handle(TelemetryReceived reading, CancellationToken cancellationToken)
    {
        if (reading.Source is SourceName or HoldSourceName || reading.Site != _site.Id) return ValueTask.CompletedTask;
        Adopt(reading);
        return ValueTask.CompletedTask;
    }

    /// <summary>The store's latest reading was not the one the simulator expected: its own is simply remembered, anyone else's adopted.</summary>
    private void Resync(TelemetryReceived latest)
    {
        if (latest.Source is SourceName or HoldSourceName) lock (_gate) _mine = latest;
        else Adopt(latest);
    }

    /// <summary>Takes on another source's reading and pauses (holding a dashboard test reading); once per reading.</summary>
    private void Adopt(TelemetryReceived reading)
    {
        lock (_gate)
        {
            if (reading == _mine) return;
            _mine = reading;
            _soc = reading.SocPercent;
            _temperature = reading.TemperatureC;
            _pausedUntil = _time.GetUtcNow().AddMinutes(_options.OverrideMinutes);
            _heldPowerMw = reading.Source.StartsWith(DashboardSourcePrefix, StringComparison.Ordinal) ? reading.ActivePowerMw : null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled) return;
        try { await _leadership.Elected.WaitAsync(stoppingToken); } // the paper battery follows the leader's fills
        catch (OperationCanceledException) { return; }
        var step = TimeSpan.FromMilliseconds(_options.IntervalMs);
        lock (_gate) _mine ??= _intake.Latest(_site.Id);
        using var timer = new PeriodicTimer(step, _time);
        do
        {
            var (request, source) = Pause is { } pause
                ? (pause.Holding ? Held() : null, HoldSourceName)
                : (Step(step), SourceName);
            if (request is null) continue;
            TelemetryReceived? expected;
            lock (_gate) expected = _mine;
            var (errors, recorded) = await _intake.SubmitInPlaceOf(expected, request, source, stoppingToken);
            if (errors.Count > 0) _logger.LogWarning("Simulator reading refused: {Errors}", string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")));
            else if (recorded is not null) lock (_gate) _mine = recorded;
            else if (_intake.Latest(_site.Id) is { } other) Resync(other); // a device or an operator reported in between: theirs stands
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>The operator's test reading again, stamped now; null once the hold has ended.</summary>
    private TelemetryRequest? Held()
    {
        lock (_gate) return _heldPowerMw is { } power ? new TelemetryRequest(_soc, power, _temperature, _site.Id, _time.GetUtcNow()) : null;
    }

    /// <summary>Advances SoC and temperature by one interval at the current set-point (curtailed at the SoC window).</summary>
    internal TelemetryRequest Step(TimeSpan step)
    {
        var power = SetPointMw;
        var hours = step.TotalHours;
        lock (_gate)
        {
            _setPoints.RemoveAll(s => s.Until <= _time.GetUtcNow());
            var energy = _site.CapacityMwh;
            var delta = power >= 0 ? -power * hours / _site.DischargeEfficiency : -power * hours * _site.ChargeEfficiency;
            var next = Math.Clamp(_soc + delta / energy * 100, _site.SocMinPercent, _site.SocMaxPercent);
            // What the window allowed is what was delivered.
            var delivered = delta == 0 ? 0 : power * (next - _soc) / (delta / energy * 100);
            _soc = next;
            var target = _options.AmbientC + _options.HeatAtFullPowerC * Math.Abs(delivered) / _site.PowerMw;
            _temperature += (target - _temperature) * (1 - Math.Exp(-step.TotalSeconds / _options.ThermalTimeConstantSeconds));
            return new TelemetryRequest(Math.Round(_soc, 3), Math.Round(delivered, 4), Math.Round(_temperature, 2), _site.Id, _time.GetUtcNow());
        }
    }
}
