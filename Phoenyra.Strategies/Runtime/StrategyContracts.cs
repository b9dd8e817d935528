using Phoenyra.Core.Contracts;

namespace Phoenyra.Strategies.Runtime;

/// <summary>
/// Stopped → Running → Stopping → Stopped; Halted by the kill switch (until an operator resets it);
/// Faulted when a callback threw (its orders were cancelled; starting again clears it).
/// </summary>
public enum StrategyState { Stopped, Running, Stopping, Halted, Faulted }

/// <summary>The market when a bar closed: the mid the grid works from, the touch and the mark.</summary>
public sealed record Bar(DateTimeOffset Time, decimal Mid, decimal? BestBid, decimal? BestAsk, decimal? Mark);

/// <summary>One fill of one of the strategy's own orders.</summary>
public sealed record StrategyFill(long OrderId, string? ClientOrderId, OrderSide Side, decimal Price, decimal Quantity, bool Maker, DateTimeOffset Time);

/// <summary>Which hedge-mode inventory to flatten.</summary>
public enum FlattenSide { Long, Short, Both }

/// <summary>What a flatten did: orders cancelled, legs closed, and whether the strategy ended flat.</summary>
public sealed record FlattenResult(int CancelledOrders, IReadOnlyList<string> ClosingPositions, bool Flat, string? Problem);

/// <summary>The numbers the kill switch watches, in the market's currency.</summary>
public sealed record StrategyRisk(
    decimal RealizedPnl,
    decimal UnrealizedPnl,
    decimal LongInventory,
    decimal ShortInventory,
    decimal MarginRatio,
    int Fills,
    int MakerFills)
{
    public decimal TotalPnl => RealizedPnl + UnrealizedPnl;
    public decimal? MakerRatio => Fills == 0 ? null : (decimal)MakerFills / Fills;
}

/// <summary>
/// A strategy as the runtime drives it. Every call comes from the instance's single loop, one at a
/// time, so a strategy keeps plain fields and never locks.
/// </summary>
internal interface IStrategy
{
    /// <summary>Rebuilds inventories and PnL from the account's journalled fills (after a restart), and resolves anything left half-done.</summary>
    ValueTask Recover(AccountActivity activity, IReadOnlyList<StrategyEvent> events, CancellationToken ct);

    ValueTask OnStart(CancellationToken ct);

    ValueTask OnBar(Bar bar, CancellationToken ct);

    ValueTask OnOrderFilled(StrategyFill fill, CancellationToken ct);

    /// <summary>An order of the strategy ended without (fully) filling: cancelled, expired, refused later.</summary>
    void OnOrderClosed(OrderView order);

    /// <summary>Cancels every working order of the strategy; it must leave nothing in the book.</summary>
    ValueTask<int> OnStop(CancellationToken ct);

    /// <summary>Cancels orders and closes the side's inventory, re-checking until flat (bounded).</summary>
    ValueTask<FlattenResult> Flatten(FlattenSide side, CancellationToken ct);

    /// <summary>Whether the order is one of the strategy's (so its fills and closes are routed here).</summary>
    bool Owns(long orderId);

    StrategyRisk Risk { get; }

    /// <summary>
    /// A finding of the strategy's own that must halt it now, as a kill-switch trip (trigger code and
    /// sentence): a leg it could not close, say. Read after every bar and fill; null while all is well.
    /// </summary>
    (string Trigger, string Reason)? HaltRequest => null;

    /// <summary>What the strategy shows (the grid's ladder, orders and legs), taken after every callback.</summary>
    object View();
}

/// <summary>A strategy instance as operators see it; <see cref="View"/> is the strategy's own picture (a <c>GridView</c> for a hedge grid).</summary>
public sealed record StrategyStatus(
    string Id,
    string Kind,
    string Market,
    string Mode,
    StrategyState State,
    DateTimeOffset? RunningSince,
    DateTimeOffset? LastBar,
    string? Fault,
    KillSwitchTrip? LastTrip,
    decimal PeakPnl,
    StrategyRisk Risk,
    object View);

/// <summary>The answer to an operator's command: done, or refused with the reason (and the status either way).</summary>
public sealed record StrategyCommandResult(bool Ok, string? Problem, StrategyStatus Status)
{
    public static StrategyCommandResult Done(StrategyStatus status) => new(true, null, status);
    public static StrategyCommandResult Refused(string problem, StrategyStatus status) => new(false, problem, status);
}
