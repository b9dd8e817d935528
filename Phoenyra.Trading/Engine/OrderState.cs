using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Engine;

/// <summary>An order's record for readers (the book itself only knows ticks, lots and queue position).</summary>
internal sealed class OrderState(
    long id, string account, OrderSide side, OrderType type, TimeInForce timeInForce,
    long? price, long quantity, string? clientOrderId, DateTimeOffset created)
{
    public long Id { get; } = id;
    public string Account { get; } = account;
    public OrderSide Side { get; } = side;
    public OrderType Type { get; } = type;
    public TimeInForce TimeInForce { get; } = timeInForce;
    public long? Price { get; } = price;
    public long Quantity { get; } = quantity;
    public string? ClientOrderId { get; } = clientOrderId;
    public DateTimeOffset Created { get; } = created;
    public long Filled { get; private set; }
    public decimal FilledNotionalTicks { get; private set; }
    public OrderStatus Status { get; set; } = OrderStatus.Accepted;
    public RejectReason Reason { get; set; }
    public DateTimeOffset Updated { get; set; } = created;

    public long Remaining => Quantity - Filled;

    public void AddFill(long lots, long priceTicks, DateTimeOffset time)
    {
        Filled += lots;
        FilledNotionalTicks += (decimal)lots * priceTicks;
        Status = Filled == Quantity ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
        Updated = time;
    }

    public void Close(OrderStatus status, RejectReason reason, DateTimeOffset time)
    {
        Status = status;
        Reason = reason;
        Updated = time;
    }

    public decimal? AveragePrice(MarketSpec spec) => Filled == 0 ? null : decimal.Round(FilledNotionalTicks / Filled * spec.Tick, 4);

    public Snapshots.OrderStateData Capture() =>
        new(Id, Account, Side, Type, TimeInForce, Price, Quantity, ClientOrderId, Created, Filled, FilledNotionalTicks, Status, Reason, Updated);

    public static OrderState Restore(Snapshots.OrderStateData d) =>
        new(d.Id, d.Account, d.Side, d.Type, d.TimeInForce, d.Price, d.Quantity, d.ClientOrderId, d.Created)
        {
            Filled = d.Filled, FilledNotionalTicks = d.FilledNotionalTicks, Status = d.Status, Reason = d.Reason, Updated = d.Updated,
        };

    public OrderView View(MarketSpec spec) => new(
        Id, spec.Id, Account, Side, Type, TimeInForce,
        Price is { } p ? spec.Price(p) : null,
        spec.Quantity(Quantity), spec.Quantity(Filled), Status.IsOpen() ? spec.Quantity(Remaining) : 0,
        Status, Reason, ClientOrderId, Created, Updated);
}

/// <summary>Order and trade ids, unique across markets and restarts (seeded from the journal).</summary>
internal sealed class IdSource
{
    private long _order, _trade;

    public long NextOrder() => Interlocked.Increment(ref _order);
    public long NextTrade() => Interlocked.Increment(ref _trade);

    public void AtLeast(long order, long trade)
    {
        InterlockedMax(ref _order, order);
        InterlockedMax(ref _trade, trade);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while ((seen = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
