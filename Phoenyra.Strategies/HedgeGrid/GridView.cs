using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>A rung as the ladder view shows it: <c>resting</c> (entry in the book), <c>filled</c> (inventory waiting for its exit), <c>take_profit</c> (exit resting), <c>idle</c>.</summary>
public sealed record GridRungView(GridSide Side, int Rung, decimal Price, decimal Quantity, string State, decimal? TakeProfit, decimal? StopLoss);

public sealed record GridOrderView(long OrderId, string ClientOrderId, GridOrderKind Kind, OrderSide Side, decimal Price, decimal Quantity, decimal Filled);

/// <summary>One hedge-mode leg: MW, average entry, value at the mid (the seed's <c>inventory_usdt</c>, here EUR) and PnL.</summary>
public sealed record GridLegView(decimal Quantity, decimal? EntryPrice, decimal InventoryEur, decimal UnrealizedPnl, decimal RealizedPnl);

/// <summary>The grid as one consistent picture, taken on the strategy's loop after every callback.</summary>
public sealed record GridView(
    decimal? Mid,
    decimal? Centre,
    decimal Step,
    decimal Throttle,
    string? LadderProblem,
    IReadOnlyList<GridRungView> Rungs,
    IReadOnlyList<GridOrderView> Orders,
    GridLegView Long,
    GridLegView Short,
    StrategyRisk Risk)
{
    public static readonly GridView Empty = new(null, null, 0, 1, null, [], [], new(0, null, 0, 0, 0), new(0, null, 0, 0, 0), new(0, 0, 0, 0, 0, 0, 0));
}
