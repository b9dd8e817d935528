namespace Phoenyra.Strategies.HedgeGrid;

public enum GridSide { Long, Short }

/// <summary>
/// One rung: its side and index (1 = nearest the centre), the entry limit price, the quantity,
/// and the take-profit and stop-loss prices its fill will pair.
/// </summary>
public sealed record Rung(GridSide Side, int Index, decimal Price, decimal Quantity, decimal TakeProfit, decimal StopLoss);

/// <summary>A grid around a centre; refused (with <see cref="Refusal"/>) when its notional is above the inventory limit.</summary>
public sealed record Ladder(decimal Centre, decimal Step, IReadOnlyList<Rung> Rungs, decimal Notional, string? Refusal)
{
    public IEnumerable<Rung> Long => Rungs.Where(r => r.Side == GridSide.Long);
    public IEnumerable<Rung> Short => Rungs.Where(r => r.Side == GridSide.Short);
}

/// <summary>
/// HedgeGridV1's ladder, re-derived from its description: arithmetic spacing step = centre ×
/// grid_step_bps / 10,000; long rung k at centre − k·step, short rung k at centre + k·step;
/// quantity base_qty × qty_scale^(k−1); take-profit tp_steps steps towards profit, stop-loss
/// sl_steps steps against; prices rounded to the tick, quantities down to the lot. The throttle
/// (see <see cref="Throttle"/>) scales how many rungs and how wide.
/// </summary>
public static class LadderBuilder
{
    public static Ladder Build(decimal centre, GridParameters p, GridInstrument market, decimal throttle = 1m)
    {
        var shape = Throttle.Shape(throttle, p.Levels);
        if (shape.Levels == 0) return new Ladder(centre, 0, [], 0, null);
        var step = centre * p.GridStepBps / 10_000m * shape.SpacingFactor;
        var rungs = new List<Rung>(2 * shape.Levels);
        for (var k = 1; k <= shape.Levels; k++)
        {
            var quantity = FloorToLot(p.BaseQty * Pow(p.QtyScale, k - 1), market.Lot);
            if (quantity <= 0) continue;
            var below = RoundToTick(centre - k * step, market.Tick);
            var above = RoundToTick(centre + k * step, market.Tick);
            rungs.Add(new Rung(GridSide.Long, k, below, quantity, RoundToTick(centre - k * step + p.TpSteps * step, market.Tick), RoundToTick(centre - k * step - p.SlSteps * step, market.Tick)));
            rungs.Add(new Rung(GridSide.Short, k, above, quantity, RoundToTick(centre + k * step - p.TpSteps * step, market.Tick), RoundToTick(centre + k * step + p.SlSteps * step, market.Tick)));
        }
        var notional = rungs.Sum(r => Math.Abs(r.Price) * r.Quantity * market.ProductHours);
        var refusal = notional > p.MaxInventory
            ? $"the ladder's notional {notional:#,0.00} EUR is above max_inventory {p.MaxInventory:#,0.00} EUR"
            : null;
        return new Ladder(centre, step, refusal is null ? rungs : [], notional, refusal);
    }

    /// <summary>Recentre when the mid has moved more than the trigger from the centre: |mid − centre| / centre × 10,000 &gt; trigger.</summary>
    public static bool NeedsRecentre(decimal mid, decimal centre, decimal triggerBps) =>
        centre != 0 && Math.Abs(mid - centre) / Math.Abs(centre) * 10_000m > triggerBps;

    public static decimal RoundToTick(decimal price, decimal tick) => Math.Round(price / tick, MidpointRounding.AwayFromZero) * tick;

    /// <summary>A price in whole ticks (for client order ids).</summary>
    public static long Ticks(decimal price, decimal tick) => (long)Math.Round(price / tick, MidpointRounding.AwayFromZero);

    public static decimal FloorToLot(decimal quantity, decimal lot) => Math.Floor(quantity / lot) * lot;

    private static decimal Pow(decimal x, int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++) result *= x;
        return result;
    }
}
