using Microsoft.Extensions.Options;
using Phoenyra.Bess.Guards;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Bess.Simulation;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Prices;

namespace Phoenyra.Bess;

/// <summary>Where the guards switch on: SoC below/above, temperature above.</summary>
public sealed record GuardThresholds(double SocLowPercent, double SocHighPercent, double TemperatureHighC);

/// <summary>What the dashboard reads and does on the battery: status, guards, history, manual telemetry.</summary>
public sealed class BessDesk
{
    private readonly TelemetryIntake _intake;
    private readonly TelemetryStore _store;
    private readonly GuardEvaluator _guards;
    private readonly BatterySimulator _simulator;
    private readonly IOptions<BessOptions> _options;
    private readonly BessGuardSection _guardPolicy;
    private readonly PriceLibrary _prices;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;
    private readonly OptimiserGate _optimiser;
    private readonly Envelope.EnvelopeTracker _envelope;
    private readonly Imbalance.ImbalanceTracker _imbalance;

    internal BessDesk(TelemetryIntake intake, TelemetryStore store, GuardEvaluator guards, BatterySimulator simulator,
        IOptions<BessOptions> options, BessGuardSection guardPolicy, PriceLibrary prices, IAuditLog audit, TimeProvider time, Envelope.EnvelopeTracker envelope,
        Imbalance.ImbalanceTracker imbalance)
    {
        _imbalance = imbalance;
        _envelope = envelope;
        _audit = audit;
        _guardPolicy = guardPolicy;
        _prices = prices;
        _intake = intake;
        _store = store;
        _guards = guards;
        _simulator = simulator;
        _options = options;
        _time = time;
        _optimiser = new OptimiserGate(time);
    }

    public SiteOptions Site => _options.Value.DefaultSite;

    public TelemetryReceived? Latest => _intake.Latest();

    public bool Online => Latest is { } r && _time.GetUtcNow() - r.Time <= TimeSpan.FromSeconds(_options.Value.OfflineAfterSeconds);

    public IReadOnlyList<GuardView> Guards => _guards.Guards;

    /// <summary>The guard thresholds in force (policy.yaml <c>bess_guards</c>, follows reloads), for colouring the cards.</summary>
    public GuardThresholds Thresholds => new(_guardPolicy.Current.SocLowPercent, _guardPolicy.Current.SocHighPercent, _guardPolicy.Current.TemperatureHighC);

    /// <summary>The price CSVs the optimiser offers, and the folder they come from (null when none is found).</summary>
    public IReadOnlyList<PriceFile> PriceFiles => _prices.Files();

    public string? PriceFolder => _prices.Folder;

    /// <summary>Reads an offered price file (off the caller's thread: a year of rows takes a moment).</summary>
    public Task<PriceSeries> ReadPrices(string path) => Task.Run(() => _prices.Read(path));

    public static Task<PriceSeries> ReadUploadedPrices(Stream csv) => PriceLibrary.ReadUpload(csv);

    public const long MaxPriceUploadBytes = PriceLibrary.MaxUploadBytes;

    /// <summary>
    /// The optimal plan for a battery on <paramref name="series"/>; bad parameters throw with the field
    /// named. One run at a time per desk, within a time limit (<see cref="OptimiserUnavailableException"/> says which).
    /// </summary>
    public Task<OptimisationResult> Optimise(PriceSeries series, StorageParameters battery, string who) =>
        _optimiser.Run(() => StorageOptimiser.Solve(series.Points.Select(p => (double)p.Price).ToArray(), series.Step.TotalHours, battery, exact: true), who);

    /// <summary>Set while the simulator yields to a device or holds a test reading; null when it runs.</summary>
    public SimulatorPause? SimulatorPause => _simulator.Pause;

    /// <summary>Lets the simulator continue now (audited with <paramref name="actor"/>).</summary>
    public async Task ResumeSimulator(string actor)
    {
        var before = _simulator.Pause;
        _simulator.Resume();
        await _audit.Record(actor, "simulator.resume", before, null, "ok");
    }

    /// <summary>Imbalance: settled quarter-hours, newest first, and the cost since the desk started.</summary>
    public Imbalance.ImbalanceStatus Imbalance => _imbalance.Status;

    /// <summary>The feasibility envelope of each market the battery delivers (none before its first reading).</summary>
    public IReadOnlyList<SocEnvelopeChanged> Envelopes => _envelope.Markets.Select(_envelope.Latest).OfType<SocEnvelopeChanged>().ToList();

    /// <summary>
    /// The readings of the last <paramref name="range"/>, thinned to at most <paramref name="points"/>
    /// (each kept reading is the last of its slice, so steps stay steps), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<TelemetryReceived>> History(TimeSpan range, int points)
    {
        var since = _time.GetUtcNow() - range;
        var readings = await _store.History(Site.Id, since, MaxHistoryRows);
        if (readings.Count <= points) return readings;
        var slice = range / points;
        return readings.GroupBy(r => (r.Time - since).Ticks / slice.Ticks).Select(g => g.Last()).ToList();
    }

    /// <summary>A day of one-second readings, the most a chart range reads.</summary>
    private const int MaxHistoryRows = 90_000;

    /// <summary>
    /// Posts a reading as if from a device (the dashboard's test sliders), audited with the operator's
    /// key id; returns the problems by field. The simulator holds it for <c>OverrideMinutes</c>.
    /// </summary>
    public async Task<IReadOnlyList<ValidationError>> Override(double soc, double powerMw, double temperature, string who)
    {
        var before = Latest;
        var errors = await _intake.Submit(new TelemetryRequest(soc, powerMw, temperature, Site.Id, null), BatterySimulator.DashboardSourcePrefix + who);
        await _audit.Record(who, "telemetry.override",
            before is null ? null : new { soc_percent = before.SocPercent, active_power_mw = before.ActivePowerMw, temperature_c = before.TemperatureC, source = before.Source },
            new { soc_percent = soc, active_power_mw = powerMw, temperature_c = temperature },
            errors.Count == 0 ? "ok" : "rejected: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")));
        return errors;
    }
}
