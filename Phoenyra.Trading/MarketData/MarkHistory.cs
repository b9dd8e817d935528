using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.MarketData;

/// <summary>One second of a market's prices for charts: mark, EMA and 15-minute VWAP.</summary>
public sealed record MarkSample(DateTimeOffset Time, decimal? Mark, decimal? Ema, decimal? Vwap);

/// <summary>
/// The last 15 minutes of each market's mark, EMA and VWAP, one sample a second (the latest of the
/// second wins), so a chart opened now starts with the quarter-hour it is named after.
/// </summary>
internal sealed class MarkHistory : IEventHandler<MarkUpdated>
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    // Per market, per second the latest update of that second: a sample is made when one is read,
    // not on every update (there is one per order).
    private readonly Dictionary<string, LinkedList<(DateTimeOffset Second, MarkUpdated Latest)>> _byMarket = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ValueTask Handle(MarkUpdated update, CancellationToken cancellationToken)
    {
        var second = new DateTimeOffset(update.Time.UtcTicks - update.Time.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        lock (_gate)
        {
            if (!_byMarket.TryGetValue(update.Market, out var samples)) _byMarket[update.Market] = samples = new();
            if (samples.Last is { } last && last.Value.Second == second) last.Value = (second, update);
            else samples.AddLast((second, update));
            while (samples.First is { } first && second - first.Value.Second > Window) samples.RemoveFirst();
        }
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<MarkSample> Recent(string market)
    {
        lock (_gate)
            return _byMarket.TryGetValue(market, out var samples)
                ? samples.Select(s => new MarkSample(s.Second, s.Latest.Mark, s.Latest.Ema, s.Latest.Vwap)).ToList()
                : [];
    }
}
