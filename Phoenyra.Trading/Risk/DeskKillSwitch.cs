using Microsoft.Extensions.Logging;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Engine;

namespace Phoenyra.Trading.Risk;

/// <summary>The desk kill switch as operators see it: on or off, since when, by whom and why.</summary>
public sealed record DeskHaltState(bool Halted, DateTimeOffset? Since, string? By, string? Reason);

/// <summary>What a halt did: the orders it cancelled (every account's).</summary>
public sealed record DeskHaltResult(DeskHaltState State, int CancelledOrders);

/// <summary>
/// One admin action that stops the desk: trading halted (only cancels accepted) through a guard the
/// risk engine enforces like any other, then every open order of every account cancelled. Resuming is
/// a separate action. Both are audited with the key id. Strategies stop on the same guard.
/// </summary>
internal sealed class DeskKillSwitch(IBus bus, Exchange exchange, IAuditLog audit, TimeProvider time, ILogger<DeskKillSwitch> logger)
{
    public const string Source = DeskHaltGuard.Source;
    public const string Name = DeskHaltGuard.Name;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile DeskHaltState _state = new(false, null, null, null);

    public DeskHaltState State => _state;

    // The guard's reason, "desk halted by ACTOR: REASON": a restart reads who and why back from it.
    private const string HaltedBy = "desk halted by ";

    /// <summary>A halt from before a restart (<see cref="DeskGuardStore"/>): on again, by whom and why it was pulled.</summary>
    public void Restore(TradingGuardChanged halt)
    {
        var words = halt.Reason.StartsWith(HaltedBy, StringComparison.Ordinal) ? halt.Reason[HaltedBy.Length..].Split(": ", 2) : [];
        _state = new DeskHaltState(true, halt.Time, words.Length == 2 ? words[0] : null, words.Length == 2 ? words[1] : halt.Reason);
    }

    public async Task<DeskHaltResult> Halt(string actor, string reason)
    {
        await _gate.WaitAsync();
        try
        {
            var now = time.GetUtcNow();
            // The halt is enforced before the sweep, so nothing new rests while the orders are cancelled.
            await bus.Publish(new TradingGuardChanged(Source, Name, true, null, 1.0, $"{HaltedBy}{actor}: {reason}", now, TradingState.Halted));
            _state = new DeskHaltState(true, now, actor, reason);
            var cancelled = 0;
            foreach (var engine in exchange.Engines)
                foreach (var order in await engine.Query(q => q.Orders(OrderFilter.Open)))
                    if ((await bus.Send(new CancelOrder(order.Id, actor, Override: true))).Reason == RejectReason.None) cancelled++;
            logger.LogCritical("Desk halted by {Actor} ({Reason}); {Cancelled} open orders cancelled", actor, reason, cancelled);
            await audit.Record(actor, "desk.halt", null, new { reason, cancelled_orders = cancelled }, "ok");
            return new DeskHaltResult(_state, cancelled);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<DeskHaltState> Resume(string actor, string reason)
    {
        await _gate.WaitAsync();
        try
        {
            var before = _state;
            await bus.Publish(new TradingGuardChanged(Source, Name, false, null, 1.0, $"desk resumed by {actor}: {reason}", time.GetUtcNow()));
            await bus.Publish(AlertActions.Lifted(actor, reason, time.GetUtcNow()));
            _state = new DeskHaltState(false, null, null, null);
            logger.LogWarning("Desk resumed by {Actor} ({Reason})", actor, reason);
            await audit.Record(actor, "desk.resume", before, new { reason }, "ok");
            return _state;
        }
        finally
        {
            _gate.Release();
        }
    }
}
