namespace Phoenyra.Trading.Risk;

/// <summary>A token bucket for one engine loop (not thread-safe: its market's loop is the only user).</summary>
internal sealed class TokenBucket
{
    private double _tokens = -1;
    private long _lastTicks;

    /// <summary>Takes one token if available, refilling at <paramref name="perSecond"/> up to <paramref name="burst"/>.</summary>
    public bool TryTake(DateTimeOffset now, double perSecond, int burst)
    {
        if (_tokens < 0) _tokens = burst;
        else
        {
            var elapsed = (now.UtcTicks - _lastTicks) / (double)TimeSpan.TicksPerSecond;
            if (elapsed > 0) _tokens = Math.Min(burst, _tokens + elapsed * perSecond);
        }
        _lastTicks = now.UtcTicks;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
