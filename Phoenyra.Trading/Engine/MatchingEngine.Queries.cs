using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.MarketData;

namespace Phoenyra.Trading.Engine;

/// <summary>Reads that run on the loop (via <see cref="MatchingEngine.Query{T}"/>), so they never see a half-applied command.</summary>
internal sealed partial class MatchingEngine
{
    public List<OrderView> Orders(string filter)
    {
        var result = new List<OrderView>();
        if (filter is "open" or "all") result.AddRange(_open.Values.Select(o => o.View(_spec)));
        if (filter is "closed" or "all") result.AddRange(_closed);
        return result;
    }

    /// <summary>The newest <paramref name="limit"/> trades (before <paramref name="beforeId"/>), oldest first; only they are copied on the loop.</summary>
    public List<Trade> Trades(long? beforeId, int limit = int.MaxValue) => _trades.Where(t => beforeId is null || t.Id < beforeId).TakeLast(limit).ToList();

    public BookDepth Depth(int levels) => new(_spec.Id, Side(_book.Bids, levels), Side(_book.Asks, levels));

    public (IReadOnlyList<Bar> Minute, IReadOnlyList<Bar> Quarter) Bars(int count) =>
        (_data.MinuteBars.TakeLast(count).ToArray(), _data.QuarterBars.TakeLast(count).ToArray());

    private List<DepthLevel> Side(BookSide side, int levels)
    {
        var result = new List<DepthLevel>(Math.Min(levels, side.Count));
        for (var i = 0; i < side.Count && i < levels; i++)
        {
            var level = side.At(i);
            result.Add(new DepthLevel(_spec.Price(level.Price), _spec.Quantity(level.Total), level.Count));
        }
        return result;
    }
}
