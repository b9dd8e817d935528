using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.MarketData;

/// <summary>One interval of trades: OHLC, volume in MW and the interval's volume-weighted average price.</summary>
public sealed record Bar(DateTimeOffset Start, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume, decimal Vwap);

/// <summary>
/// A market's price statistics, fed by its loop: last trade, EMA of trade prices, VWAP over a
/// rolling 15-minute window, 1-minute and 15-minute bars, and the mark (<see cref="MarkSource"/>).
/// The VWAP window holds one entry per second with trades (at most 900), not one per trade: at tens
/// of thousands of trades a second a per-trade window grew by gigabytes and made every engine
/// snapshot tens of megabytes. A second's trades leave the window together.
/// </summary>
internal sealed class MarketDataState(double emaAlpha, TimeSpan markTradeMaxAge, int barsKept = 96)
{
    private static readonly TimeSpan VwapWindow = TimeSpan.FromMinutes(15);
    private readonly Queue<TradedSecond> _window = new();
    private TradedSecond? _newest;
    private decimal _windowNotional, _windowVolume;

    private sealed class TradedSecond(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; } = start;
        public decimal Notional { get; set; }
        public decimal Volume { get; set; }
    }
    private readonly BarSeries _minute = new(TimeSpan.FromMinutes(1), barsKept);
    private readonly BarSeries _quarter = new(TimeSpan.FromMinutes(15), barsKept);

    public decimal? LastTrade { get; private set; }
    public DateTimeOffset? LastTradeTime { get; private set; }
    public decimal? Ema { get; private set; }
    public decimal? Reference { get; set; }
    public long PriceEvents { get; private set; }

    public decimal? Vwap => _windowVolume == 0 ? null : decimal.Round(_windowNotional / _windowVolume, 4);

    /// <summary>
    /// The mark as traders expect it: a recent last trade, clamped into the current bid/ask; else
    /// the mid; else the reference; else a stale last trade (clamped) or the one side there is.
    /// </summary>
    public (decimal? Mark, MarkSource Source) Mark(decimal? bestBid, decimal? bestAsk, DateTimeOffset now)
    {
        if (LastTrade is { } last && now - LastTradeTime <= markTradeMaxAge) return Clamp(last, bestBid, bestAsk);
        if (bestBid is { } bid && bestAsk is { } ask) return ((bid + ask) / 2, MarkSource.Mid);
        if (Reference is { } reference) return (reference, MarkSource.Reference);
        if (LastTrade is { } stale) return Clamp(stale, bestBid, bestAsk);
        if (bestBid is { } onlyBid) return (onlyBid, MarkSource.BestBid);
        if (bestAsk is { } onlyAsk) return (onlyAsk, MarkSource.BestAsk);
        return (null, MarkSource.None);
    }

    private static (decimal?, MarkSource) Clamp(decimal last, decimal? bid, decimal? ask) =>
        bid is { } b && last < b ? (b, MarkSource.BestBid)
        : ask is { } a && last > a ? (a, MarkSource.BestAsk)
        : (last, MarkSource.LastTrade);

    public IReadOnlyList<Bar> MinuteBars => _minute.Bars;
    public IReadOnlyList<Bar> QuarterBars => _quarter.Bars;

    public void OnTrade(decimal price, decimal quantity, DateTimeOffset time)
    {
        LastTrade = price;
        LastTradeTime = time;
        Ema = Ema is { } previous ? decimal.Round(previous + (decimal)emaAlpha * (price - previous), 4) : price;
        Add(time.AddTicks(-(time.UtcTicks % TimeSpan.TicksPerSecond)), price * quantity, quantity);
        Expire(time);
        _minute.Add(time, price, quantity);
        _quarter.Add(time, price, quantity);
        PriceEvents++;
    }

    /// <summary>Drops trades older than the window; the market's loop calls it on every event (trades, orders, reference ticks).</summary>
    public void Expire(DateTimeOffset now)
    {
        while (_window.TryPeek(out var oldest) && now - oldest.Start > VwapWindow)
        {
            _window.Dequeue();
            _windowNotional -= oldest.Notional;
            _windowVolume -= oldest.Volume;
            if (ReferenceEquals(oldest, _newest)) _newest = null;
        }
    }

    private void Add(DateTimeOffset second, decimal notional, decimal volume)
    {
        if (_newest is null || _newest.Start != second) _window.Enqueue(_newest = new TradedSecond(second));
        _newest.Notional += notional;
        _newest.Volume += volume;
        _windowNotional += notional;
        _windowVolume += volume;
    }

    public void CountPriceEvent() => PriceEvents++;

    /// <summary>What replay rebuilds (the reference comes from the price sources, not the journal).</summary>
    public Snapshots.MarketDataData Capture() => new(LastTrade, LastTradeTime, Ema, PriceEvents,
        _window.Select(w => new Snapshots.VwapEntry(w.Start, w.Notional, w.Volume)).ToList(), _minute.Bars.ToList(), _quarter.Bars.ToList());

    public void Restore(Snapshots.MarketDataData d)
    {
        (LastTrade, LastTradeTime, Ema, PriceEvents) = (d.LastTrade, d.LastTradeTime, d.Ema, d.PriceEvents);
        _window.Clear();
        _newest = null;
        _windowNotional = _windowVolume = 0;
        foreach (var w in d.Window) Add(w.Time, w.Notional, w.Volume);
        _minute.Restore(d.MinuteBars);
        _quarter.Restore(d.QuarterBars);
    }

    /// <summary>
    /// Closed bars, then the open one as running figures: a trade updates numbers instead of
    /// allocating a new bar (two per trade, with both series); a bar is made when one is read.
    /// </summary>
    private sealed class BarSeries(TimeSpan length, int kept)
    {
        private readonly Queue<Bar> _closed = new();
        private bool _open;
        private DateTimeOffset _start;
        private decimal _first, _high, _low, _last, _volume, _vwap;

        public IReadOnlyList<Bar> Bars
        {
            get
            {
                var bars = new List<Bar>(_closed.Count + 1);
                bars.AddRange(_closed);
                if (_open) bars.Add(new Bar(_start, _first, _high, _low, _last, _volume, _vwap));
                return bars;
            }
        }

        public void Restore(IEnumerable<Bar> bars)
        {
            _closed.Clear();
            _open = false;
            foreach (var bar in bars)
            {
                CloseOpenBar();
                (_start, _first, _high, _low, _last, _volume, _vwap) = (bar.Start, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume, bar.Vwap);
                _open = true;
            }
        }

        public void Add(DateTimeOffset time, decimal price, decimal quantity)
        {
            var start = new DateTimeOffset(time.UtcTicks - time.UtcTicks % length.Ticks, TimeSpan.Zero);
            if (_open && _start == start)
            {
                var volume = _volume + quantity;
                _vwap = volume == 0 ? price : Math.Round((_vwap * _volume + price * quantity) / volume, 6);
                (_high, _low, _last, _volume) = (Math.Max(_high, price), Math.Min(_low, price), price, volume);
                return;
            }
            CloseOpenBar();
            (_start, _first, _high, _low, _last, _volume, _vwap) = (start, price, price, price, price, quantity, price);
            _open = true;
            while (_closed.Count > 0 && _closed.Count >= kept) _closed.Dequeue(); // the open bar counts among the kept
        }

        private void CloseOpenBar()
        {
            if (_open) _closed.Enqueue(new Bar(_start, _first, _high, _low, _last, _volume, _vwap));
            _open = false;
        }
    }
}
