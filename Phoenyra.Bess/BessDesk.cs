using Microsoft.Extensions.Options;
using Phoenyra.Bess.AutoTrading;
using Phoenyra.Bess.Guards;
using Phoenyra.Bess.Simulation;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess;

/// <summary>What the dashboard reads and does on the battery: status, guards, history, manual telemetry.</summary>
public sealed class BessDesk
{
    private readonly TelemetryIntake _intake;
    private readonly TelemetryStore _store;
    private readonly GuardEvaluator _guards;
    private readonly BatterySimulator _simulator;
    private readonly AutoTrader _autoTrader;
    private readonly IOptions<BessOptions> _options;
    private readonly TimeProvider _time;

    internal BessDesk(TelemetryIntake intake, TelemetryStore store, GuardEvaluator guards, BatterySimulator simulator, AutoTrader autoTrader, IOptions<BessOptions> options, TimeProvider time)
    {
        _autoTrader = autoTrader;
        _intake = intake;
        _store = store;
        _guards = guards;
        _simulator = simulator;
        _options = options;
        _time = time;
    }

    public SiteOptions Site => _options.Value.DefaultSite;

    public TelemetryReceived? Latest => _intake.Latest();

    public bool Online => Latest is { } r && _time.GetUtcNow() - r.Time <= TimeSpan.FromSeconds(_options.Value.OfflineAfterSeconds);

    public IReadOnlyList<GuardView> Guards => _guards.Guards;

    public double SimulatorSetPointMw => _simulator.SetPointMw;

    public AutoTraderStatus AutoTrader => _autoTrader.Status;

    /// <summary>Switches the auto-trader (audited with <paramref name="actor"/>).</summary>
    public Task<AutoTraderStatus> SetAutoTrader(bool enabled, string actor) => _autoTrader.SetEnabled(enabled, actor);

    public Task<IReadOnlyList<TelemetryReceived>> History(int count) => _store.History(Site.Id, null, count);

    /// <summary>Posts a reading as if from a device (the dashboard's test sliders); returns the problems by field.</summary>
    public Task<IReadOnlyList<ValidationError>> Override(double soc, double powerMw, double temperature, string who) =>
        _intake.Submit(new TelemetryRequest(soc, powerMw, temperature, Site.Id, null), $"dashboard:{who}");
}
