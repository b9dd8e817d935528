using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.MarketData;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Positions;

namespace Phoenyra.Trading.Engine;

/// <summary>Reads that run on the market's loop (<see cref="MatchingEngine.Query{T}"/>), so they never see a half-applied command.</summary>
internal sealed class MarketQueries(MarketSpec spec, OrderBook book, OrderLedger ledger, MarketDataState data, AccountPositions accounts, Func<decimal?> mark)
{
    /// <summary>Positions per account (one account, or all), valued at the current mark.</summary>
    public List<AccountPositionView> AccountPositions(string? account) => accounts.Views(mark(), account);

    public List<OrderView> Orders(OrderFilter filter)
    {
        var result = new List<OrderView>();
        if (filter is OrderFilter.Open or OrderFilter.All) result.AddRange(ledger.Open);
        if (filter is OrderFilter.Closed or OrderFilter.All) result.AddRange(ledger.Closed);
        return result;
    }

    /// <summary>
    /// The newest <paramref name="limit"/> trades (before <paramref name="beforeId"/>, of <paramref name="account"/>
    /// on either side), oldest first; only they are copied on the loop.
    /// </summary>
    public List<Trade> Trades(long? beforeId, int limit = int.MaxValue, string? account = null) =>
        ledger.Trades.Where(t => (beforeId is null || t.Id < beforeId) && (account is null || t.MakerAccount == account || t.TakerAccount == account)).TakeLast(limit).ToList();

    public BookDepth Depth(int levels) => new(spec.Id, Side(book.Bids, levels), Side(book.Asks, levels));

    public (IReadOnlyList<Bar> Minute, IReadOnlyList<Bar> Quarter) Bars(int count) =>
        (data.MinuteBars.TakeLast(count).ToArray(), data.QuarterBars.TakeLast(count).ToArray());

    private List<DepthLevel> Side(BookSide side, int levels)
    {
        var result = new List<DepthLevel>(Math.Min(levels, side.Count));
        for (var i = 0; i < side.Count && i < levels; i++)
        {
            var level = side.At(i);
            result.Add(new DepthLevel(spec.Price(level.Price), spec.Quantity(level.Total), level.Count));
        }
        return result;
    }
}
