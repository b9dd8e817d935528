using System.Collections.Concurrent;

namespace Phoenyra.Bess.AutoTrading;

/// <summary>The last reference price seen in each product period of one market, for persistence forecasts.</summary>
internal sealed class PriceMemory(TimeSpan step)
{
    private readonly ConcurrentDictionary<long, double> _byPeriod = new();

    public double? Latest { get; private set; }

    public void Record(DateTimeOffset time, double price)
    {
        _byPeriod[Period(time)] = price;
        Latest = price;
        // Two days is all a persistence forecast looks back.
        foreach (var old in _byPeriod.Keys.Where(k => k < Period(time) - 2 * PeriodsPerDay)) _byPeriod.TryRemove(old, out _);
    }

    public long Period(DateTimeOffset time) => time.UtcTicks / step.Ticks;

    public DateTimeOffset Start(long period) => new(period * step.Ticks, TimeSpan.Zero);

    private long PeriodsPerDay => TimeSpan.TicksPerDay / step.Ticks;

    /// <summary>Prices for <paramref name="count"/> periods from <paramref name="first"/>: what the same period cost a day earlier, else the latest price.</summary>
    public double[] Forecast(long first, int count)
    {
        var latest = Latest ?? 0;
        var forecast = new double[count];
        for (var k = 0; k < count; k++)
        {
            var period = first + k;
            forecast[k] = k == 0 && _byPeriod.TryGetValue(period, out var now) ? now
                : _byPeriod.TryGetValue(period - PeriodsPerDay, out var yesterday) ? yesterday
                : latest;
        }
        return forecast;
    }
}
