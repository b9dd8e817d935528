using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// What the grid holds and has working: its two hedge-mode legs, the exit pairs of filled entries,
/// its orders until their last fill is in, and its fill counts. No decisions here; HedgeGridV1 makes them.
/// </summary>
internal sealed class GridBook(decimal productHours)
{
    private readonly Dictionary<long, GridOrder> _orders = new();
    private readonly Leg _long = new(GridSide.Long, productHours), _short = new(GridSide.Short, productHours);

    public List<ExitPair> Pairs { get; } = [];
    public int Fills { get; private set; }
    public int MakerFills { get; private set; }

    public IEnumerable<GridOrder> Orders => _orders.Values;

    public Leg Leg(GridSide side) => side == GridSide.Long ? _long : _short;

    public bool TryGet(long orderId, out GridOrder order) => _orders.TryGetValue(orderId, out order!);

    /// <summary>Keeps an order the venue accepted until its last fill is in.</summary>
    public void Track(GridOrder order)
    {
        if (!order.Settled) _orders[order.Id] = order;
    }

    /// <summary>Lets go of an order once it is closed and every fill of it has been seen.</summary>
    public void ForgetIfSettled(GridOrder order)
    {
        if (order.Settled) _orders.Remove(order.Id);
    }

    public void CountFill(bool maker)
    {
        Fills++;
        if (maker) MakerFills++;
    }

    /// <summary>Closes the two legs against each other (hedge mode on a netting venue: no trade happens).</summary>
    public void Offset(decimal quantity, decimal price)
    {
        _long.Close(price, quantity);
        _short.Close(price, quantity);
        DropPairsBeyondInventory(GridSide.Long);
        DropPairsBeyondInventory(GridSide.Short);
    }

    /// <summary>Exit pairs never cover more than the leg holds (after a flatten or an offset they go).</summary>
    public void DropPairsBeyondInventory(GridSide side)
    {
        var left = Leg(side).Quantity;
        foreach (var pair in Pairs.Where(p => p.Leg == side).ToList())
        {
            if (left <= 0) Pairs.Remove(pair);
            else pair.Quantity = Math.Min(pair.Quantity, left);
            left -= pair.Quantity;
        }
    }

    /// <summary>The leg's quantity plus the fills of closed orders still on their way to the loop (entries add, exits take away).</summary>
    public decimal Holding(GridSide side)
    {
        var pending = 0m;
        foreach (var order in _orders.Values.Where(o => o.Leg == side && o.FinalFilled is { } final && final > o.Filled))
            pending += (order.Kind == GridOrderKind.Entry ? 1 : -1) * (order.FinalFilled!.Value - order.Filled);
        return Leg(side).Quantity + pending;
    }

    /// <summary>Replays the journalled fills (by their client order ids) and the grid's own offsets, in time order.</summary>
    public void Replay(IReadOnlyList<AccountFill> fills, IReadOnlyList<StrategyEvent> events)
    {
        var timeline = fills.Select(f => (f.Time, Fill: (AccountFill?)f, Offset: (StrategyEvent?)null))
            .Concat(events.Where(o => o.Kind == StrategyEventKind.Offset).Select(o => (o.Time, Fill: (AccountFill?)null, Offset: (StrategyEvent?)o)))
            .OrderBy(e => e.Time);
        foreach (var (_, fill, offset) in timeline)
        {
            if (offset is not null) { Offset(offset.Quantity, offset.Price); continue; }
            CountFill(fill!.Maker);
            if (GridOrder.Parse(fill.ClientOrderId) is not { } kind) continue;
            if (kind.Kind == GridOrderKind.Entry) Leg(kind.Leg).Open(fill.Price, fill.Quantity);
            else Leg(kind.Leg).Close(fill.Price, fill.Quantity);
        }
    }

    /// <summary>PnL and inventories in cents, the margin ratio to six places: what the kill switch and the screens read.</summary>
    public StrategyRisk Risk(decimal? mid, decimal maxExposureEur)
    {
        var longInventory = _long.Inventory(mid);
        var shortInventory = _short.Inventory(mid);
        return new StrategyRisk(Cents(_long.Realized + _short.Realized), Cents(_long.Unrealized(mid) + _short.Unrealized(mid)),
            Cents(longInventory), Cents(shortInventory),
            maxExposureEur <= 0 ? 0 : Math.Round((longInventory + shortInventory) / maxExposureEur, 6), Fills, MakerFills);
    }

    public GridLegView View(GridSide side, decimal? mid)
    {
        var leg = Leg(side);
        return new(leg.Quantity, leg.Quantity > 0 ? Math.Round(leg.AveragePrice, 4) : null, Cents(leg.Inventory(mid)), Cents(leg.Unrealized(mid)), Cents(leg.Realized));
    }

    private static decimal Cents(decimal eur) => Math.Round(eur, 2, MidpointRounding.AwayFromZero);
}
