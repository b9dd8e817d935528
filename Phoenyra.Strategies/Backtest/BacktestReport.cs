namespace Phoenyra.Strategies.Backtest;

/// <summary>One calendar month (UTC) of a backtest.</summary>
public sealed record BacktestMonth(string Month, int Bars, int Fills, decimal RealizedPnlEur, decimal TotalPnlEur, decimal MaxDrawdownEur);

/// <summary>What a backtest did, in the market's currency (EUR).</summary>
public sealed record BacktestReport(
    int Bars,
    int Fills,
    decimal? MakerRatio,
    decimal RealizedPnlEur,
    decimal TotalPnlEur,
    decimal MaxDrawdownEur,
    decimal LongInventoryPeakEur,
    decimal ShortInventoryPeakEur,
    int KillSwitchTrips,
    string? FirstTrip,
    long Events,
    double ElapsedSeconds,
    IReadOnlyList<BacktestMonth> Months)
{
    public double EventsPerSecond => ElapsedSeconds > 0 ? Events / ElapsedSeconds : 0;
}
