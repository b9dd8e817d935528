using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Prices;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Backtest;

/// <summary>
/// Replays a price series through HedgeGridV1 and its kill switch, as the live runtime drives them
/// (a bar per price, fills handed over after the call that caused them, the kill switch after every
/// fill and bar), against the paper market's fill model. A trip flattens and halts the grid, as live:
/// the rest of the series is watched, not traded.
/// </summary>
public static class BacktestRunner
{
    public const string Market = "BACKTEST";

    public static BacktestReport Run(IReadOnlyList<PricePoint> prices, StrategyOptions options, GridInstrument instrument,
        decimal maxExposureEur = 2_000_000m, decimal halfSpreadEur = 0.2m, int repeat = 1, IProgress<double>? progress = null)
    {
        var venue = new PaperVenue(Market, halfSpreadEur);
        var grid = new HedgeGridV1(options.HedgeGrid, instrument with { Market = Market }, maxExposureEur, venue, options.Id, NullLogger.Instance);
        var kill = new KillSwitch(options.KillSwitch);
        var months = new List<BacktestMonth>();
        var started = Stopwatch.GetTimestamp();
        var total = prices.Count * repeat;
        var span = prices.Count > 1 ? prices[^1].Time - prices[0].Time + (prices[1].Time - prices[0].Time) : TimeSpan.FromHours(1);
        long bars = 0;
        int trips = 0;
        string? firstTrip = null;
        decimal peak = 0, maxDrawdown = 0, longPeak = 0, shortPeak = 0;
        var halted = false;
        Month? month = null;
        var previous = grid.Risk;

        grid.OnStart(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        kill.Begin(0, prices.Count > 0 ? prices[0].Time : DateTimeOffset.UnixEpoch);
        for (var pass = 0; pass < repeat; pass++)
        {
            for (var i = 0; i < prices.Count; i++)
            {
                var time = prices[i].Time + span * pass;
                var price = prices[i].Price;
                venue.Move(time, price);
                Deliver();
                if (!halted)
                {
                    grid.OnBar(new Bar(time, price, venue.Bid, venue.Ask, price), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    Deliver();
                }
                bars++;
                var risk = grid.Risk;
                if (!halted) Check(time, risk);
                peak = Math.Max(peak, risk.TotalPnl);
                maxDrawdown = Math.Max(maxDrawdown, peak - risk.TotalPnl);
                longPeak = Math.Max(longPeak, risk.LongInventory);
                shortPeak = Math.Max(shortPeak, risk.ShortInventory);
                var key = time.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
                if (month?.Key != key)
                {
                    if (month is not null) months.Add(month.Close(previous));
                    month = new Month(key, previous);
                }
                month.Bar(risk);
                previous = risk;
                if (progress is not null && bars % 4096 == 0) progress.Report((double)bars / total);
            }
        }
        var last = grid.Risk;
        if (month is not null) months.Add(month.Close(last));
        progress?.Report(1);
        return new BacktestReport((int)bars, last.Fills, last.MakerRatio, last.RealizedPnl, last.TotalPnl, maxDrawdown, longPeak, shortPeak,
            trips, firstTrip, bars + venue.Events, Stopwatch.GetElapsedTime(started).TotalSeconds, months);

        void Deliver()
        {
            while (venue.TryDequeueFill(out var fill))
            {
                grid.OnOrderFilled(fill, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                if (!halted) Check(fill.Time, grid.Risk);
            }
        }

        void Check(DateTimeOffset now, StrategyRisk risk)
        {
            if (halted || kill.Check(risk, now, now, now) is not { } trigger) return;
            trips++;
            firstTrip ??= $"{trigger.Trigger} at {now:yyyy-MM-dd HH:mm} UTC: {trigger.Reason}";
            halted = true;
            grid.Flatten(FlattenSide.Both, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            Deliver();
        }
    }

    /// <summary>A month's running numbers: fills and PnL from its first bar, its own drawdown.</summary>
    private sealed class Month(string key, StrategyRisk start)
    {
        private int _bars;
        private decimal _peak = decimal.MinValue, _drawdown;

        public string Key => key;

        public void Bar(StrategyRisk risk)
        {
            _bars++;
            _peak = Math.Max(_peak, risk.TotalPnl);
            _drawdown = Math.Max(_drawdown, _peak - risk.TotalPnl);
        }

        public BacktestMonth Close(StrategyRisk end) =>
            new(key, _bars, end.Fills - start.Fills, end.RealizedPnl - start.RealizedPnl, end.TotalPnl, _drawdown);
    }
}
