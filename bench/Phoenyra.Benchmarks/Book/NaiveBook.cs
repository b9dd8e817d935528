using Phoenyra.Core.Contracts;

namespace Phoenyra.Benchmarks.Book;

/// <summary>
/// The baseline: the book most people write first. SortedDictionary of price → LinkedList of
/// order objects, a dictionary for cancels, a new object per order, decimal-free but allocation-heavy.
/// </summary>
internal sealed class NaiveBook
{
    private sealed class Order(long id, string account, OrderSide side, long price, long quantity)
    {
        public long Id = id;
        public string Account = account;
        public OrderSide Side = side;
        public long Price = price;
        public long Remaining = quantity;
    }

    private readonly SortedDictionary<long, LinkedList<Order>> _bids = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<long, LinkedList<Order>> _asks = new();
    private readonly Dictionary<long, LinkedListNode<Order>> _byId = new();
    public long Fills;

    public void Place(long id, string account, OrderSide side, long price, long quantity)
    {
        var order = new Order(id, account, side, price, quantity);
        Match(order, price);
        if (order.Remaining == 0) return;
        var book = side == OrderSide.Buy ? _bids : _asks;
        if (!book.TryGetValue(price, out var level)) book[price] = level = new LinkedList<Order>();
        _byId[id] = level.AddLast(order);
    }

    public void Cross(long id, string account, OrderSide side, long limit, long quantity) => Match(new Order(id, account, side, limit, quantity), limit);

    public void Cancel(long id)
    {
        if (!_byId.Remove(id, out var node)) return;
        var book = node.Value.Side == OrderSide.Buy ? _bids : _asks;
        var level = node.List!;
        level.Remove(node);
        if (level.Count == 0) book.Remove(node.Value.Price);
    }

    private void Match(Order taker, long limit)
    {
        var opposite = taker.Side == OrderSide.Buy ? _asks : _bids;
        while (taker.Remaining > 0 && opposite.Count > 0)
        {
            var (price, level) = opposite.First();
            if (taker.Side == OrderSide.Buy ? price > limit : price < limit) return;
            while (level.First is { } node && taker.Remaining > 0)
            {
                if (node.Value.Account == taker.Account) return;
                var quantity = Math.Min(node.Value.Remaining, taker.Remaining);
                node.Value.Remaining -= quantity;
                taker.Remaining -= quantity;
                Fills++;
                if (node.Value.Remaining == 0)
                {
                    level.RemoveFirst();
                    _byId.Remove(node.Value.Id);
                }
            }
            if (level.Count == 0) opposite.Remove(price);
        }
    }
}
