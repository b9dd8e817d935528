using BenchmarkDotNet.Attributes;
using Phoenyra.Core.Prices;
using Phoenyra.Strategies.Backtest;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Benchmarks.Strategies;

/// <summary>
/// HedgeGridV1's backtest on the December 2025 15-minute day-ahead prices, replayed 10 times, the
/// kill switch off so the grid trades throughout. Events per run are printed at setup; events/s =
/// events / mean.
/// </summary>
[MemoryDiagnoser]
public class BacktestBenchmarks
{
    private IReadOnlyList<PricePoint> _prices = [];
    private StrategyOptions _options = new();
    private GridInstrument _instrument = null!;

    [GlobalSetup]
    public void Setup()
    {
        var series = CsvPriceFile.Read(SharedPrices.File("DE-LU_DA_15min_2025-12_SMARD.csv"));
        _prices = series.Points;
        _options = new StrategyOptions
        {
            Id = "bench",
            HedgeGrid = new GridParameters(BaseQty: 1m),
            KillSwitch = new KillSwitchOptions { MaxDrawdownShare = 0, MaxSessionLossEur = 0, MaxDailyLossEur = 0, MaxUnrealizedLossEur = 0, MaxInventoryPerSideEur = 0, MaxMarginRatio = 0, StaleDataSeconds = 0 },
        };
        _instrument = new GridInstrument(BacktestRunner.Market, 0.01m, 0.1m, 0.25m);
        var report = Run();
        Console.WriteLine($"// backtest: {report.Bars} bars, {report.Fills} fills, {report.Events} events per run");
    }

    [Benchmark]
    public BacktestReport Run() => BacktestRunner.Run(_prices, _options, _instrument, repeat: 10);
}
