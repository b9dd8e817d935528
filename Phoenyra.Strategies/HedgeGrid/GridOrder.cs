using Phoenyra.Core.Contracts;

namespace Phoenyra.Strategies.HedgeGrid;

public enum GridOrderKind { Entry, TakeProfit, StopLoss, Flatten }

/// <summary>
/// One of the grid's orders while it works (and until its last fill has been seen): which rung and
/// leg it belongs to, and the exit pair it opens or closes.
/// </summary>
internal sealed class GridOrder(long id, string clientId, GridOrderKind kind, GridSide leg, int rung, OrderSide side, decimal price, decimal quantity)
{
    public long Id { get; } = id;
    public string ClientId { get; } = clientId;
    public GridOrderKind Kind { get; } = kind;
    public GridSide Leg { get; } = leg;
    public int Rung { get; } = rung;
    public OrderSide Side { get; } = side;
    public decimal Price { get; } = price;
    public decimal Quantity { get; } = quantity;
    public decimal Filled { get; set; }

    /// <summary>The rung's exit prices, carried by an entry so its fills pair them.</summary>
    public decimal TakeProfit { get; init; }
    public decimal StopLoss { get; init; }

    /// <summary>The exit pair a take-profit or stop-loss belongs to.</summary>
    public ExitPair? Pair { get; init; }

    /// <summary>A flatten already closed this entry's fills still on their way: when they arrive they open the leg, but no exit pair.</summary>
    public bool ClosedByFlatten { get; set; }

    /// <summary>The engine closed the order with this much filled; its record goes once those fills are in.</summary>
    public decimal? FinalFilled { get; set; }

    public bool Working => FinalFilled is null;
    public bool Settled => FinalFilled is { } final && Filled >= final;

    /// <summary>Which leg and direction a client order id of the grid's shape stands for (for recovery from the journal).</summary>
    public static (GridOrderKind Kind, GridSide Leg)? Parse(string? clientId) => clientId switch
    {
        null => null,
        _ when clientId.StartsWith("HG1-LONG-", StringComparison.Ordinal) => (GridOrderKind.Entry, GridSide.Long),
        _ when clientId.StartsWith("HG1-SHORT-", StringComparison.Ordinal) => (GridOrderKind.Entry, GridSide.Short),
        _ when clientId.StartsWith("HG1-TP-L", StringComparison.Ordinal) => (GridOrderKind.TakeProfit, GridSide.Long),
        _ when clientId.StartsWith("HG1-TP-S", StringComparison.Ordinal) => (GridOrderKind.TakeProfit, GridSide.Short),
        _ when clientId.StartsWith("HG1-SL-L", StringComparison.Ordinal) => (GridOrderKind.StopLoss, GridSide.Long),
        _ when clientId.StartsWith("HG1-SL-S", StringComparison.Ordinal) => (GridOrderKind.StopLoss, GridSide.Short),
        _ when clientId.StartsWith("HG1-FLAT-L", StringComparison.Ordinal) => (GridOrderKind.Flatten, GridSide.Long),
        _ when clientId.StartsWith("HG1-FLAT-S", StringComparison.Ordinal) => (GridOrderKind.Flatten, GridSide.Short),
        _ => null,
    };
}

/// <summary>
/// A filled entry's exits: a take-profit resting in the book and a stop-loss the strategy watches
/// (the desk has no stop orders: when the touch reaches it, an IOC closes the pair). One filling
/// ends the other.
/// </summary>
internal sealed class ExitPair(GridSide leg, int rung, decimal quantity, decimal takeProfit, decimal stopLoss)
{
    public GridSide Leg { get; } = leg;
    public int Rung { get; } = rung;
    public decimal Quantity { get; set; } = quantity;
    public decimal TakeProfit { get; } = takeProfit;
    public decimal StopLoss { get; } = stopLoss;
    public GridOrder? TakeProfitOrder { get; set; }
    public bool Stopped { get; set; }
}
