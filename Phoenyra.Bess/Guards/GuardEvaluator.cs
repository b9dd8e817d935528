using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.Guards;

/// <summary>
/// One guard as the operator reads it: on or off, what it does to trading when on (<see cref="Effect"/>),
/// when it switches (<see cref="Rule"/>, from the policy in force), why it is on and since when.
/// </summary>
public sealed record GuardView(string Name, bool Active, string Effect, string Reason, DateTimeOffset? Since, string Rule = "", IReadOnlyList<string>? Markets = null);

/// <summary>
/// Turns the desk's battery telemetry into trading guards with hysteresis: a guard switches on
/// past its threshold and off only once the value is back by the hysteresis band, so a reading
/// jittering around 15 % does not flap the desk. Each change is published on the bus for the risk
/// engine, logged and audited. The guards act on the markets the site delivers into only: a German
/// battery's SoC says nothing about a British spot market or a futures hedge. Telemetry that stops arriving puts the desk in reducing or halted mode.
/// </summary>
internal sealed class GuardEvaluator : BackgroundService, IEventHandler<TelemetryReceived>
{
    private const string Source = "bess";
    private readonly BessGuardSection _section;
    private readonly BessMetrics _metrics;
    private readonly TelemetryStore _telemetry;
    private readonly IBus _bus;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<GuardEvaluator> _logger;
    private readonly string _site;
    private readonly IReadOnlyList<string>? _markets;
    // One evaluation at a time (telemetry requests and the stale timer): decide, publish, then show.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _viewGate = new();
    private readonly Dictionary<string, GuardView> _guards = new(StringComparer.Ordinal);

    public GuardEvaluator(BessGuardSection section, TelemetryStore telemetry, IBus bus, IAuditLog audit, IOptions<BessOptions> options, IOptions<Envelope.EnvelopeOptions> envelope,
        BessMetrics metrics, TimeProvider time, ILogger<GuardEvaluator> logger)
    {
        _metrics = metrics;
        _section = section;
        _telemetry = telemetry;
        _bus = bus;
        _audit = audit;
        _time = time;
        _logger = logger;
        _site = options.Value.DefaultSite.Id;
        _markets = options.Value.DefaultSite.Markets is { Count: > 0 } own ? own.ToArray()
            : envelope.Value.Markets is { Count: > 0 } delivered ? delivered.ToArray()
            : null;
        // No market named anywhere: the guards stay on the whole desk, the cautious reading, and say so.
        if (_markets is null) logger.LogWarning("Site {Site} names no market it delivers into (Phoenyra:Bess:Sites:0:Markets); its guards act on every market", _site);
        foreach (var name in new[] { "soc-low", "soc-high", "temperature-high", "telemetry-stale" })
            _guards[name] = new GuardView(name, false, "", "", null);
        _section.Changed += _ => Reevaluate();
    }

    /// <summary>Every guard, with its effect and switching rule from the policy in force.</summary>
    public IReadOnlyList<GuardView> Guards
    {
        get
        {
            var c = _section.Current;
            lock (_viewGate) return _guards.Values.Select(v => v with { Effect = EffectOf(v.Name, c), Rule = RuleOf(v.Name, c), Markets = _markets }).ToList();
        }
    }

    private static TradingState? StaleState(GuardConfig c) =>
        c.StaleAction switch { StaleAction.Halt => TradingState.Halted, StaleAction.Reduce => TradingState.Reducing, _ => null };

    private static string EffectOf(string name, GuardConfig c) => name switch
    {
        "soc-low" => TradingGuardChanged.Describe(c.SocLowBlocks, null, 1),
        "soc-high" => TradingGuardChanged.Describe(c.SocHighBlocks, null, 1),
        "temperature-high" => TradingGuardChanged.Describe(null, null, c.TemperatureRateFactor),
        _ => TradingGuardChanged.Describe(null, StaleState(c), 1),
    };

    private string RuleOf(string name, GuardConfig c) => name switch
    {
        "soc-low" => $"on below {c.SocLowPercent} % SoC, off again from {c.SocLowPercent + c.SocHysteresisPercent} %",
        "soc-high" => $"on above {c.SocHighPercent} % SoC, off again at {c.SocHighPercent - c.SocHysteresisPercent} %",
        "temperature-high" => $"on above {c.TemperatureHighC} °C, off again at {c.TemperatureHighC - c.TemperatureHysteresisC} °C",
        _ => $"on after {c.StaleAfterSeconds} s without telemetry from {_site}",
    };

    public async ValueTask Handle(TelemetryReceived reading, CancellationToken cancellationToken)
    {
        if (reading.Site != _site || _telemetry.Latest(_site) != reading) return; // late backfill does not move guards
        await Evaluate(reading, stale: false);
    }

    private void Reevaluate() => _ = ReevaluateAsync();

    private Task ReevaluateAsync() => _telemetry.Latest(_site) is { } latest ? Evaluate(latest, IsStale(latest)).AsTask() : Task.CompletedTask;

    private bool IsStale(TelemetryReceived latest) => _time.GetUtcNow() - latest.Time > TimeSpan.FromSeconds(_section.Current.StaleAfterSeconds);

    private async ValueTask Evaluate(TelemetryReceived r, bool stale)
    {
        var c = _section.Current;
        var changes = new List<(TradingGuardChanged Change, GuardView View)>();
        await _gate.WaitAsync();
        try
        {
            Decide(changes, "soc-low", r.SocPercent < c.SocLowPercent, r.SocPercent >= c.SocLowPercent + c.SocHysteresisPercent,
                $"SoC {r.SocPercent:0.#} % is below {c.SocLowPercent} %", c.SocLowBlocks, 1.0, null);
            Decide(changes, "soc-high", r.SocPercent > c.SocHighPercent, r.SocPercent <= c.SocHighPercent - c.SocHysteresisPercent,
                $"SoC {r.SocPercent:0.#} % is above {c.SocHighPercent} %", c.SocHighBlocks, 1.0, null);
            Decide(changes, "temperature-high", r.TemperatureC > c.TemperatureHighC, r.TemperatureC <= c.TemperatureHighC - c.TemperatureHysteresisC,
                $"temperature {r.TemperatureC:0.#} °C is above {c.TemperatureHighC} °C", null, c.TemperatureRateFactor, null);
            var state = StaleState(c);
            Decide(changes, "telemetry-stale", stale && state is not null, !stale || state is null,
                $"no telemetry from {_site} for over {c.StaleAfterSeconds} s", null, 1.0, state);
            foreach (var (change, view) in changes)
            {
                // The risk engine first, so a guard the dashboard shows is already enforced.
                await _bus.Publish(change);
                lock (_viewGate) _guards[change.Name] = view;
                _logger.LogWarning("BESS guard {Guard} {State}: {Reason}", change.Name, change.Active ? "ON" : "off", change.Reason);
                _metrics.GuardChanges.Add(1, new("guard", change.Name), new("state", change.Active ? "on" : "off"));
                // A guard moved by a reading someone posted in place of the battery names that key.
                var actor = r.Source.StartsWith(TelemetryIntake.OverridePrefix, StringComparison.Ordinal) ? r.Source[TelemetryIntake.OverridePrefix.Length..]
                    : r.Source.StartsWith(Simulation.BatterySimulator.DashboardSourcePrefix, StringComparison.Ordinal) ? r.Source[Simulation.BatterySimulator.DashboardSourcePrefix.Length..]
                    : Source;
                await _audit.Record(actor, $"guard.{change.Name}", new { active = !change.Active }, new { active = change.Active, reason = change.Reason, reading_source = r.Source }, "ok");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    // Called under the gate: switch on past the threshold, off only past the hysteresis band.
    private void Decide(List<(TradingGuardChanged, GuardView)> changes, string name, bool on, bool off, string reason, OrderSide? side, double rate, TradingState? state)
    {
        GuardView current;
        lock (_viewGate) current = _guards[name];
        var next = current.Active ? !off : on;
        var effect = TradingGuardChanged.Describe(side, state, rate);
        if (next == current.Active && (!next || current.Effect == effect)) return;
        var now = _time.GetUtcNow();
        changes.Add((new TradingGuardChanged(Source, name, next, next ? side : null, next ? rate : 1.0, next ? reason : $"{name} cleared", now, next ? state : null, _markets),
            new GuardView(name, next, effect, next ? reason : "", next ? now : null)));
    }

    /// <summary>Checks for silence once a second; only a site that has reported at least once can go stale.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _telemetry.LoadLatest();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                if (_telemetry.Latest(_site) is { } latest && IsStale(latest) != Guards.Single(g => g.Name == "telemetry-stale").Active)
                    await Evaluate(latest, IsStale(latest));
        }
        catch (OperationCanceledException) { }
    }
}
