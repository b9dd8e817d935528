using Phoenyra.Core.Contracts;

namespace Phoenyra.Bess.Forecasting;

/// <summary>A forecast: one price per period from the first, and its source.</summary>
internal sealed record Forecast(double[] Prices, ForecastSource Source);

/// <summary>
/// One market's prices per product period, for the planner: observed (the last reference price
/// of each period) and day-ahead (expected), both kept in the store so a restart forecasts as well
/// as before. A period's forecast is, best first: its day-ahead price; persistence (what the same
/// period cost a day earlier); the latest price. The current period uses its live price.
/// </summary>
internal sealed class PriceForecaster(string market, TimeSpan step, PriceHistoryStore store)
{
    public const string DayAhead = "day-ahead";
    public const string Persistence = "persistence";
    public const string LatestPrice = "latest price";

    /// <summary>The demo price source's name on its curves.</summary>
    private const string DemoSource = "demo";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, double> _observed = new();
    private readonly Dictionary<long, (double Price, string Source)> _dayAhead = new();
    private readonly HashSet<long> _unsaved = new();
    private (DateTimeOffset Time, double Price)? _latest;
    private long _prunedAt = long.MinValue;

    public string Market => market;

    public double? Latest { get { lock (_gate) return _latest?.Price; } }

    public long Period(DateTimeOffset time) => time.UtcTicks / step.Ticks;

    public DateTimeOffset Start(long period) => new(period * step.Ticks, TimeSpan.Zero);

    private long PeriodsPerDay => TimeSpan.TicksPerDay / step.Ticks;

    /// <summary>Reads what the store holds from a day before <paramref name="now"/>; prices seen since start win.</summary>
    public void Load(DateTimeOffset now)
    {
        var rows = store.Load(market, now.AddDays(-2));
        lock (_gate)
        {
            foreach (var row in rows)
            {
                var period = Period(row.PeriodStart);
                if (row.Kind == PriceKind.DayAhead) _dayAhead.TryAdd(period, (row.Price, row.Source));
                else _observed.TryAdd(period, row.Price);
            }
            if (_latest is null && rows.Where(r => r.Kind == PriceKind.Observed).MaxBy(r => r.PeriodStart) is { } last)
                _latest = (last.PeriodStart, last.Price);
        }
    }

    public void Observe(DateTimeOffset time, double price)
    {
        lock (_gate)
        {
            var period = Period(time);
            _observed[period] = price;
            _unsaved.Add(period);
            if (_latest is null || time >= _latest.Value.Time) _latest = (time, price);
            if (period <= _prunedAt) return;
            // Once per new period (prices tick every second): forget what a two-day lookback no longer needs.
            _prunedAt = period;
            foreach (var old in _observed.Keys.Where(k => k < period - 2 * PeriodsPerDay).ToList()) _observed.Remove(old);
            foreach (var old in _dayAhead.Keys.Where(k => k < period - 2 * PeriodsPerDay).ToList()) _dayAhead.Remove(old);
        }
    }

    /// <summary>Takes a day-ahead curve (of any step) as this market's expected price per period, and stores it.</summary>
    public void Expect(DayAheadCurvePublished curve)
    {
        var byPeriod = new Dictionary<long, List<double>>();
        for (var i = 0; i < curve.Prices.Count; i++)
        {
            var from = curve.Start + curve.Step * i;
            // A coarse curve (hourly) covers several periods; a fine one (quarter-hours) is averaged into each.
            for (var period = Period(from); Start(period) < from + curve.Step; period++)
            {
                if (!byPeriod.TryGetValue(period, out var prices)) byPeriod[period] = prices = [];
                prices.Add((double)curve.Prices[i]);
            }
        }
        var rows = new List<StoredPrice>();
        lock (_gate)
            foreach (var (period, prices) in byPeriod)
            {
                // A configured curve is a real market's; the demo's own expectation never replaces it.
                if (curve.Source == DemoSource && _dayAhead.TryGetValue(period, out var had) && had.Source != DemoSource) continue;
                _dayAhead[period] = (prices.Average(), curve.Source);
                rows.Add(new StoredPrice(market, PriceKind.DayAhead, Start(period), prices.Average(), curve.Source));
            }
        store.Save(rows);
    }

    /// <summary>Writes the observed prices recorded since the last call; if the store refuses, they stay for the next.</summary>
    public void Save()
    {
        List<StoredPrice> rows;
        lock (_gate)
            rows = _unsaved.Where(_observed.ContainsKey).Select(p => new StoredPrice(market, PriceKind.Observed, Start(p), _observed[p], "reference")).ToList();
        store.Save(rows);
        lock (_gate)
            foreach (var row in rows)
                if (_observed.TryGetValue(Period(row.PeriodStart), out var price) && price == row.Price) _unsaved.Remove(Period(row.PeriodStart));
    }

    public Forecast Forecast(long first, int count)
    {
        var prices = new double[count];
        int live = 0, dayAhead = 0, persistence = 0, latest = 0;
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            var fallback = _latest?.Price ?? 0;
            for (var k = 0; k < count; k++)
            {
                var period = first + k;
                if (k == 0 && _observed.TryGetValue(period, out var now)) { prices[k] = now; live++; }
                else if (_dayAhead.TryGetValue(period, out var expected)) { prices[k] = expected.Price; dayAhead++; sources.Add(expected.Source); }
                else if (_observed.TryGetValue(period - PeriodsPerDay, out var yesterday)) { prices[k] = yesterday; persistence++; }
                else { prices[k] = fallback; latest++; }
            }
        }
        var kind = dayAhead > 0 && dayAhead >= persistence && dayAhead >= latest ? DayAhead
            : persistence > 0 && persistence >= latest ? Persistence : LatestPrice;
        var parts = new List<string>();
        if (live > 0) parts.Add("this one at the live price");
        if (dayAhead > 0) parts.Add($"{dayAhead} from the day-ahead curve ({string.Join(", ", sources)})");
        if (persistence > 0) parts.Add($"{persistence} from yesterday's prices");
        if (latest > 0) parts.Add($"{latest} at the latest price");
        var why = dayAhead + live == count ? ""
            : dayAhead + persistence == 0 ? $" No day-ahead curve and no stored prices for {market} yet: the plan is flat and holds the battery (a day-ahead CSV can be set in Phoenyra:Bess:AutoTrader:DayAheadCsv)."
            : dayAhead == 0 ? $" No day-ahead curve for {market} (a day-ahead CSV can be set in Phoenyra:Bess:AutoTrader:DayAheadCsv)."
            : " The day-ahead curve ends inside the horizon.";
        return new Forecast(prices, new ForecastSource(kind, $"Of {count} periods: {string.Join(", ", parts)}.{why}"));
    }
}
