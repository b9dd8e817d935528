using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Prices;

/// <summary>The most recent reference prices per market, for views that join late.</summary>
internal sealed class PriceHistory(IOptions<DemoPriceOptions> options)
{
    private readonly Dictionary<string, Queue<ReferencePriceUpdated>> _byMarket = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Add(ReferencePriceUpdated tick)
    {
        lock (_gate)
        {
            if (!_byMarket.TryGetValue(tick.Market, out var queue)) _byMarket[tick.Market] = queue = new Queue<ReferencePriceUpdated>();
            queue.Enqueue(tick);
            while (queue.Count > options.Value.HistorySize) queue.Dequeue();
        }
    }

    public IReadOnlyList<ReferencePriceUpdated> Recent(string market)
    {
        lock (_gate) return _byMarket.TryGetValue(market, out var queue) ? queue.ToArray() : [];
    }
}
