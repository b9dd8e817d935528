using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Book;

/// <summary>
/// A limit order book with price-time priority, in ticks and lots. Single-threaded by design:
/// its market's engine loop is the only writer. Orders and levels are pooled so steady-state
/// operation does not allocate.
/// </summary>
internal sealed class OrderBook
{
    public const long NoPrice = long.MinValue;

    private readonly BookSide _bids = new(OrderSide.Buy);
    private readonly BookSide _asks = new(OrderSide.Sell);
    private readonly Dictionary<long, BookOrder> _resting = new(1024);
    private readonly Stack<BookOrder> _pool = new();

    public int RestingCount => _resting.Count;
    public long BestBid => _bids.Best?.Price ?? NoPrice;
    public long BestAsk => _asks.Best?.Price ?? NoPrice;
    public BookSide Bids => _bids;
    public BookSide Asks => _asks;

    public BookOrder Rent() => _pool.Count > 0 ? _pool.Pop() : new BookOrder();

    public void Return(BookOrder order) => _pool.Push(order);

    public bool TryGet(long id, out BookOrder order) => _resting.TryGetValue(id, out order!);

    /// <summary>Puts the order's remaining quantity at the back of its price level.</summary>
    public void Rest(BookOrder order)
    {
        var side = order.Side == OrderSide.Buy ? _bids : _asks;
        side.GetOrAdd(order.Price).Append(order);
        _resting.Add(order.Id, order);
    }

    /// <summary>Takes a resting order out of the book; the caller returns it to the pool when done with it.</summary>
    public bool Remove(long id, out BookOrder order)
    {
        if (!_resting.Remove(id, out order!)) return false;
        var level = order.Level!;
        level.Unlink(order);
        if (level.Count == 0) (order.Side == OrderSide.Buy ? _bids : _asks).Remove(level);
        return true;
    }

    /// <summary>Reduces a resting order without changing its place in the queue (replay of a fill).</summary>
    public void Reduce(BookOrder order, long quantity)
    {
        order.Remaining -= quantity;
        order.Level!.Total -= quantity;
    }

    /// <summary>
    /// Matches <paramref name="taker"/> against the opposite side while prices cross
    /// (<paramref name="limit"/> = <see cref="NoPrice"/> for a market order). Stops at the first
    /// resting order of the same account (self-trade prevention, cancel newest) and returns true then.
    /// </summary>
    public bool Match(BookOrder taker, long limit, IMatchListener listener)
    {
        var opposite = taker.Side == OrderSide.Buy ? _asks : _bids;
        while (taker.Remaining > 0 && opposite.Best is { } level && Crosses(taker.Side, limit, level.Price))
        {
            var maker = level.Head;
            while (maker is not null && taker.Remaining > 0)
            {
                if (maker.Account == taker.Account) return true;
                var quantity = Math.Min(maker.Remaining, taker.Remaining);
                maker.Remaining -= quantity;
                taker.Remaining -= quantity;
                level.Total -= quantity;
                listener.OnFill(maker, taker, level.Price, quantity);
                var next = maker.Next;
                if (maker.Remaining == 0)
                {
                    level.Unlink(maker);
                    _resting.Remove(maker.Id);
                    listener.OnMakerFilled(maker);
                    _pool.Push(maker);
                }
                maker = next;
            }
            if (level.Count == 0) opposite.Remove(level);
        }
        return false;
    }

    /// <summary>How much of <paramref name="quantity"/> would fill now, stopping where self-trade prevention would.</summary>
    public long Fillable(OrderSide side, long limit, string account, long quantity)
    {
        var opposite = side == OrderSide.Buy ? _asks : _bids;
        long available = 0;
        for (var depth = 0; depth < opposite.Count && available < quantity; depth++)
        {
            var level = opposite.At(depth);
            if (!Crosses(side, limit, level.Price)) break;
            for (var maker = level.Head; maker is not null && available < quantity; maker = maker.Next)
            {
                if (maker.Account == account) return available;
                available += maker.Remaining;
            }
        }
        return Math.Min(available, quantity);
    }

    private static bool Crosses(OrderSide takerSide, long limit, long makerPrice) =>
        limit == NoPrice || (takerSide == OrderSide.Buy ? makerPrice <= limit : makerPrice >= limit);
}
