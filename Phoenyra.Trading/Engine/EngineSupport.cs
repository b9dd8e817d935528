using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>What every market's engine shares.</summary>
internal sealed record TradingEngineContext(
    TradeJournal Journal,
    RiskEngine Risk,
    Positions.Portfolio Portfolio,
    IdSource Ids,
    TimeProvider Time,
    MarketMakerOptions MarketMaker,
    double EmaAlpha,
    TimeSpan MarkTradeMaxAge,
    int RecentLimit,
    TradingMetrics Metrics,
    ILogger Logger);

/// <summary>The newest <paramref name="limit"/> items, oldest first.</summary>
internal sealed class RecentList<T>(int limit) : IEnumerable<T>
{
    private readonly Queue<T> _items = new();

    public T? Last { get; private set; }
    public int Count => _items.Count;

    public void Add(T item)
    {
        _items.Enqueue(item);
        Last = item;
        if (_items.Count > limit) _items.Dequeue();
    }

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
