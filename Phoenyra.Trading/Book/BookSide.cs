using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Book;

/// <summary>
/// One side's price levels in a sorted array with the best price at the end, so taking or
/// removing the best level is O(1) and a new level costs a binary search and a short shift.
/// </summary>
internal sealed class BookSide(OrderSide side)
{
    private PriceLevel[] _levels = new PriceLevel[64];
    private readonly Stack<PriceLevel> _pool = new();

    public OrderSide Side { get; } = side;
    public int Count { get; private set; }

    public PriceLevel? Best => Count == 0 ? null : _levels[Count - 1];

    /// <summary>Level <paramref name="depth"/> from the best (0 = best).</summary>
    public PriceLevel At(int depth) => _levels[Count - 1 - depth];

    public PriceLevel GetOrAdd(long price)
    {
        var index = Find(price);
        if (index >= 0) return _levels[index];
        index = ~index;
        if (Count == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
        Array.Copy(_levels, index, _levels, index + 1, Count - index);
        var level = _pool.Count > 0 ? _pool.Pop() : new PriceLevel();
        level.Price = price;
        level.Total = 0;
        level.Count = 0;
        level.Head = level.Tail = null;
        _levels[index] = level;
        Count++;
        return level;
    }

    public void Remove(PriceLevel level)
    {
        var index = Find(level.Price);
        if (index < 0) return;
        Array.Copy(_levels, index + 1, _levels, index, Count - index - 1);
        _levels[--Count] = null!;
        _pool.Push(level);
    }

    // Ascending for bids (best = highest at the end), descending for asks (best = lowest at the end).
    private int Find(long price)
    {
        int lo = 0, hi = Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var probe = _levels[mid].Price;
            if (probe == price) return mid;
            var before = Side == OrderSide.Buy ? probe < price : probe > price;
            if (before) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }
}
