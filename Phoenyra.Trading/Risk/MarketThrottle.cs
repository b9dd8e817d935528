namespace Phoenyra.Trading.Risk;

/// <summary>
/// One market's submit-rate buckets: the market's own and one per key. Used only on that market's
/// loop, so it needs no locks.
/// </summary>
internal sealed class MarketThrottle
{
    private readonly TokenBucket _market = new();
    private readonly Dictionary<string, TokenBucket> _keys = new(StringComparer.Ordinal);

    public bool TryTakeMarket(DateTimeOffset now, double perSecond, int burst) => _market.TryTake(now, perSecond, burst);

    public bool TryTakeKey(string account, DateTimeOffset now, double perSecond, int burst)
    {
        if (!_keys.TryGetValue(account, out var bucket)) _keys[account] = bucket = new TokenBucket();
        return bucket.TryTake(now, perSecond, burst);
    }
}
