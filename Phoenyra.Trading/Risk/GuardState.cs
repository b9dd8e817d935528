using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Risk;

/// <summary>What the active external guards add up to: blocked sides and a submit-rate factor.</summary>
public sealed record GuardState(bool BuyBlocked, bool SellBlocked, double RateFactor, TradingState State, IReadOnlyList<TradingGuardChanged> Active)
{
    public static readonly GuardState None = new(false, false, 1.0, TradingState.Active, []);

    /// <summary>The guard that sets <see cref="State"/>, for the denial's sentence.</summary>
    public TradingGuardChanged? Restricting => Active.Where(g => g.State == State).FirstOrDefault();

    /// <summary>The guard that blocks <paramref name="side"/>, if any (every order asks: a loop, no delegate).</summary>
    public TradingGuardChanged? Blocking(OrderSide side)
    {
        for (var i = 0; i < Active.Count; i++)
            if (Active[i].BlockedSide == side) return Active[i];
        return null;
    }

    /// <summary>The sum of a set of active guards: any block blocks, the lowest rate factor and the strictest state win.</summary>
    public static GuardState Of(IEnumerable<TradingGuardChanged> guards)
    {
        var active = guards.OrderBy(g => g.Source, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal).ToList();
        return new GuardState(
            active.Any(g => g.BlockedSide == OrderSide.Buy),
            active.Any(g => g.BlockedSide == OrderSide.Sell),
            active.Select(g => g.RateFactor).Where(f => f > 0).DefaultIfEmpty(1.0).Min(),
            active.Select(g => g.State ?? TradingState.Active).DefaultIfEmpty(TradingState.Active).Max(),
            active);
    }
}
