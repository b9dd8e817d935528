using Phoenyra.Core.Audit;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies;

/// <summary>
/// The strategies as the API and the dashboard drive them: list, status, start, stop, flatten,
/// throttle, reset. Every command runs on the instance's loop; every control action is audited
/// with the caller's key id.
/// </summary>
public sealed class StrategyDesk
{
    private readonly StrategyRegistry _registry;
    private readonly IAuditLog _audit;
    private readonly Core.Messaging.IBus _bus;
    private readonly string? _defaultGrid;
    private readonly HashSet<string> _flashArbIds;

    internal StrategyDesk(StrategyRegistry registry, IAuditLog audit, Core.Messaging.IBus bus, StrategiesOptions options)
    {
        _registry = registry;
        _audit = audit;
        _bus = bus;
        _defaultGrid = options.DefaultGrid?.Id;
        _flashArbIds = options.Instances.Where(i => i.Kind == StrategyKinds.FlashArb).Select(i => i.Id).ToHashSet();
    }

    public IReadOnlyList<StrategyStatus> All => _registry.All.Select(i => i.Status).ToList();

    /// <summary>The hedge grid the seed's root paths address, when one is configured.</summary>
    public string? DefaultGridId => _defaultGrid;

    /// <summary>The flash-arb orchestrator document 002's paths address (the first flash-arb instance), when one runs.</summary>
    public string? FlashArbId => _registry.All.FirstOrDefault(i => i.Kind == StrategyKinds.FlashArb)?.Id
        ?? _registry.Problems.Keys.FirstOrDefault(k => _flashArbIds.Contains(k));

    /// <summary>
    /// Starts a flash-arb instance with an operator's overrides (strategy parameters only, checked like the
    /// settings): refused with the errors by variable, and nothing changes, when one is wrong.
    /// </summary>
    public async Task<(StrategyCommandResult? Result, IReadOnlyList<Core.Settings.SettingsError> Errors)> StartFlashArb(string id, IReadOnlyDictionary<string, string> overrides, string actor)
    {
        if (_registry.Find(id) is not { } instance) return (null, []);
        var errors = await instance.Execute(s => Task.FromResult(s is FlashArb.FlashArbStrategy arb ? arb.Override(overrides) : []));
        if (errors.Count > 0) return (null, errors);
        return (await instance.Post(() => instance.Start(actor, _registry.DeskHalt)), []);
    }

    /// <summary>Instances that are configured but could not be built, with the reason.</summary>
    public IReadOnlyDictionary<string, string> Problems => _registry.Problems;

    public StrategyStatus? Status(string id) => _registry.Find(id)?.Status;

    internal IReadOnlyList<FlashArb.Cycle.ILeg> Legs(string id) => _registry.Find(id)?.Strategy is FlashArb.FlashArbStrategy arb ? arb.Legs : [];

    internal FlashArb.Loan.IFlashLender? Lender(string id) => _registry.Find(id)?.Strategy is FlashArb.FlashArbStrategy arb ? arb.Lender : null;

    /// <summary>The instance's kill-switch limits as configured.</summary>
    public KillSwitchOptions? KillSwitch(string id) => _registry.Find(id)?.Options.KillSwitch;

    /// <summary>A hedge grid's configured rungs a side (before the throttle).</summary>
    public int Levels(string id) => _registry.Find(id)?.Options.HedgeGrid.Levels ?? 0;

    /// <summary>The last 15 minutes of the instance's PnL and drawdown, a sample a second.</summary>
    public IReadOnlyList<PnlSample> PnlHistory(string id) => _registry.Find(id)?.Pnl.Recent() ?? [];

    /// <summary>The newest bar any strategy processed (for <c>/health</c>'s <c>last_bar</c>).</summary>
    public DateTimeOffset? LastBar => _registry.All.Select(i => i.Status.LastBar).Max();

    public Task<StrategyCommandResult>? Start(string id, string actor) => _registry.Find(id) is { } i ? i.Post(() => i.Start(actor, _registry.DeskHalt)) : null;

    public Task<StrategyCommandResult>? Stop(string id, string actor) => _registry.Find(id) is { } i ? i.Post(() => i.Stop(actor)) : null;

    /// <summary>Signs off a kill-switch halt: an admin, or a key other than the one that started the strategy (four eyes).</summary>
    public Task<StrategyCommandResult>? Reset(string id, string actor, string reason, bool admin) => _registry.Find(id) is { } i ? i.Post(() => i.Reset(actor, reason, admin)) : null;

    public Task<(StrategyCommandResult Result, FlattenResult? Flatten)>? Flatten(string id, FlattenSide side, string actor) =>
        _registry.Find(id) is { } i ? i.Post(() => i.Flatten(side, actor)) : null;

    private StrategyInstance? AutoTraderInstance => _registry.All.FirstOrDefault(i => i.Kind == StrategyKinds.BessAutoTrader);

    /// <summary>
    /// The battery auto-trader strategy as its panel and <c>/api/bess/autotrader</c> show it; null when
    /// none is configured. While it is not running, the forecast and the plan ahead are the planner's
    /// now, so an operator sees what it would do before switching it on.
    /// </summary>
    public async Task<BessAutoTrader.AutoTraderStatus?> AutoTrader()
    {
        if (AutoTraderInstance is not { } instance) return null;
        var status = BessAutoTrader.AutoTraderStatus.Of(instance.Status, instance.Options.BarSeconds);
        if (status.Enabled) return status;
        var plan = await _bus.Send(new Core.Contracts.GetBatteryPlan());
        return status with { Forecast = plan.Forecast, Ahead = plan.Ahead };
    }

    /// <summary>
    /// Switches the auto-trader: starts or stops its strategy (audited as <c>autotrader.enable|disable</c>
    /// and by the runtime). Refused with the reason while it is halted or the desk is; null without one.
    /// </summary>
    public async Task<(BessAutoTrader.AutoTraderStatus Status, string? Problem)?> SetAutoTrader(bool enabled, string actor)
    {
        if (AutoTraderInstance is not { } instance) return null;
        var before = instance.Status.State == StrategyState.Running;
        var result = await (enabled ? Start(instance.Id, actor) : Stop(instance.Id, actor))!;
        await _audit.Record(actor, enabled ? "autotrader.enable" : "autotrader.disable", new { enabled = before }, new { enabled }, result.Ok ? "ok" : "refused: " + result.Problem);
        return (BessAutoTrader.AutoTraderStatus.Of(result.Status, instance.Options.BarSeconds), result.Problem);
    }

    /// <summary>Sets a hedge grid's throttle (0..1); out of range, or not a grid, is refused with the reason.</summary>
    public async Task<StrategyCommandResult?> SetThrottle(string id, decimal throttle, string actor)
    {
        if (_registry.Find(id) is not { } instance) return null;
        if (Throttle.Problem(throttle) is { } problem) return StrategyCommandResult.Refused(problem, instance.Status);
        var before = await instance.Execute(async s =>
        {
            if (s is not HedgeGridV1 grid) return (decimal?)null;
            var old = grid.Throttle;
            await grid.SetThrottle(throttle, CancellationToken.None);
            return old;
        });
        if (before is null) return StrategyCommandResult.Refused($"{id} is not a hedge grid; it has no throttle", instance.Status);
        await _audit.Record(actor, "strategy.throttle", new { strategy = id, throttle = before }, new { strategy = id, throttle }, "ok");
        return StrategyCommandResult.Done(await instance.Post(() => Task.FromResult(instance.Status)));
    }
}
