using System.Collections.Concurrent;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Risk;

/// <summary>What the active external guards add up to: blocked sides and a submit-rate factor.</summary>
public sealed record GuardState(bool BuyBlocked, bool SellBlocked, double RateFactor, TradingState State, IReadOnlyList<TradingGuardChanged> Active)
{
    public static readonly GuardState None = new(false, false, 1.0, TradingState.Active, []);

    /// <summary>The guard that sets <see cref="State"/>, for the denial's sentence.</summary>
    public TradingGuardChanged? Restricting => Active.Where(g => g.State == State).FirstOrDefault();

    public TradingGuardChanged? Blocking(OrderSide side) =>
        Active.FirstOrDefault(g => g.BlockedSide == side);
}

/// <summary>The guards other modules publish on the bus (BESS SoC and temperature, stale telemetry, …).</summary>
internal sealed class GuardSet
{
    private readonly ConcurrentDictionary<(string Source, string Name), TradingGuardChanged> _guards = new();
    private volatile GuardState _state = GuardState.None;

    public GuardState State => _state;

    public void Apply(TradingGuardChanged change)
    {
        if (change.Active) _guards[(change.Source, change.Name)] = change;
        else _guards.TryRemove((change.Source, change.Name), out _);
        var active = _guards.Values.OrderBy(g => g.Source, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        _state = new GuardState(
            active.Any(g => g.BlockedSide == OrderSide.Buy),
            active.Any(g => g.BlockedSide == OrderSide.Sell),
            active.Select(g => g.RateFactor).Where(f => f > 0).DefaultIfEmpty(1.0).Min(),
            active.Select(g => g.State ?? TradingState.Active).DefaultIfEmpty(TradingState.Active).Max(),
            active);
    }
}
