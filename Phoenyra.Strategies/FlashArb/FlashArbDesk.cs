using Microsoft.Extensions.Options;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Settings;
using Phoenyra.Strategies.FlashArb.Api;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.FlashArb;

/// <summary>
/// The flash-arb orchestrator as the control plane and the dashboard drive it: status, start with
/// overrides, stop, diagnostics, open orders. Every call is audited with the caller's key id.
/// </summary>
public sealed class FlashArbDesk
{
    private readonly StrategyDesk _strategies;
    private readonly FlashArbSettings _settings;
    private readonly IBus _bus;
    private readonly IAuditLog _audit;
    private readonly Venues.LiveTickerFeed _feed;

    internal FlashArbDesk(StrategyDesk strategies, IOptions<FlashArbSettings> settings, IBus bus, IAuditLog audit, Venues.LiveTickerFeed feed)
    {
        _feed = feed;
        _strategies = strategies;
        _settings = settings.Value;
        _bus = bus;
        _audit = audit;
    }

    /// <summary>The orchestrator's instance id, when one is configured.</summary>
    public string? Id => _strategies.FlashArbId;

    /// <summary>Why the configured orchestrator cannot run here (a live toggle, a missing market), or null.</summary>
    public string? Problem => Id is { } id ? _strategies.Problems.GetValueOrDefault(id) : null;

    public StrategyStatus? Status => Id is { } id ? _strategies.Status(id) : null;

    /// <summary>The orchestrator's two legs (desk markets or live venues), for readiness checks.</summary>
    internal IReadOnlyList<Cycle.ILeg> Legs => Id is { } id ? _strategies.Legs(id) : [];

    /// <summary>The orchestrator's lender (in-process or on chain), for readiness checks.</summary>
    internal Loan.IFlashLender? Lender => Id is { } id ? _strategies.Lender(id) : null;

    /// <summary>The desk markets the orchestrator trades (its legs that are not live venues), for the page's order blocks.</summary>
    public IReadOnlyList<string> DeskMarkets => Legs.OfType<Cycle.DeskLeg>().Select(l => l.Name).ToList();

    public FlashArbView View => Status?.View as FlashArbView ?? FlashArbView.Empty;

    /// <summary>The variables an operator may override at start.</summary>
    public IReadOnlyList<string> OverridableParameters => FlashArbSettings.ParameterNames;

    /// <summary>
    /// Starts with the operator's overrides. Below admin (<paramref name="admin"/> false) an override
    /// may only tighten the risk-owned limits (<see cref="FlashArbSettings.Loosened"/>): a loosening is
    /// refused with <c>NeedsAdmin</c> and nothing changes. The audit records each override's old and new value.
    /// </summary>
    public async Task<(StrategyCommandResult? Result, IReadOnlyList<SettingsError> Errors, bool NeedsAdmin)> Start(IReadOnlyDictionary<string, string> overrides, string actor, bool admin)
    {
        if (Id is not { } id) return (null, [], false);
        var before = View.Parameters;
        var changes = overrides.ToDictionary(o => o.Key, o => new { old = before.GetValueOrDefault(o.Key), @new = o.Value });
        var (candidate, invalid) = _settings.With(overrides);
        var loosened = candidate is null || admin ? [] : _settings.Loosened(candidate);
        if (loosened.Count > 0)
        {
            await _audit.Record(actor, "flash_arb.start", null, new { overrides = changes, refused = loosened.Select(e => e.Key) }, "denied: loosens a risk limit");
            return (null, loosened, true);
        }
        var (result, errors) = invalid.Count > 0 ? (null, invalid) : await _strategies.StartFlashArb(id, overrides, actor);
        await _audit.Record(actor, "flash_arb.start", null, new { overrides = changes, refused = errors.Select(e => e.Key) }, errors.Count > 0 ? "refused" : result?.Ok == true ? "ok" : "failed");
        return (result, errors, false);
    }

    public async Task<StrategyCommandResult?> Stop(string actor)
    {
        if (Id is not { } id || _strategies.Stop(id, actor) is not { } work) return null;
        var result = await work;
        await _audit.Record(actor, "flash_arb.stop", null, null, "ok");
        return result;
    }

    public async Task<DiagnosticsReport> Diagnostics(string actor)
    {
        var report = await Api.Diagnostics.Run(_settings, this, _feed.Status);
        await _audit.Record(actor, "flash_arb.diagnostics", null, new { ok = report.Ok }, report.Ok ? "ok" : "failed");
        return report;
    }

    public async Task<IReadOnlyList<OrderView>> OpenOrders() => Id is { } id ? await _bus.Send(new GetOpenOrders(id)) : [];
}
