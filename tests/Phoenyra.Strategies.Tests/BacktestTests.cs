using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Phoenyra.Strategies.Cli;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Strategies.Tests;

/// <summary>The backtest command as an operator runs it: the report's numbers, its JSON fields, and clear refusals.</summary>
public sealed class BacktestTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("phoenyra-backtest").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>15-minute prices: <paramref name="price"/> of the step index, from 1 Jan 2026.</summary>
    private string Prices(int steps, Func<int, decimal> price)
    {
        var csv = new StringBuilder("timestamp_utc,price_eur_mwh\n");
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < steps; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{start.AddMinutes(15 * i):yyyy-MM-ddTHH:mm:ssZ},{price(i)}\n");
        var path = Path.Combine(_folder, $"prices-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = BacktestCommand.Run(args, new ConfigurationBuilder().Build(), output, error, terminal: false);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void ASawtoothMarket_IsTradedOnBothSides_AndTheJsonHasTheSeedsFields()
    {
        // 100 ± 1 EUR in a slow zig-zag over two months (January and February 2026).
        var file = Prices(5_664, i => 100m + Math.Abs(i % 40 - 20) / 10m - 1m);

        var (code, output, error) = Run("--strategy", "hedge-grid", "--prices", file, "--json");

        Assert.True(code == 0, error);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.True(report.GetProperty("fills").GetInt32() > 100);
        Assert.InRange(report.GetProperty("maker_ratio").GetDecimal(), 0.5m, 1m); // entries and take-profits rest; stop-losses take
        Assert.True(report.GetProperty("total_pnl_eur").GetDecimal() > 0);
        Assert.True(report.GetProperty("max_drawdown_eur").GetDecimal() >= 0);
        Assert.True(report.GetProperty("events_per_second").GetDouble() > 0);
        Assert.Equal(["2026-01", "2026-02"], report.GetProperty("months").EnumerateArray().Select(m => m.GetProperty("month").GetString()));
        Assert.Equal(0, report.GetProperty("kill_switch_trips").GetInt32());
    }

    [Fact]
    public void ACrash_TripsTheKillSwitch_AndTheReportSaysWhenAndWhy()
    {
        var file = Prices(400, i => i < 100 ? 100m : 100m - (i - 100) * 0.5m);
        var config = Path.Combine(_folder, "config.json");
        File.WriteAllText(config, """{"HedgeGrid": {"BaseQty": 5}, "KillSwitch": {"MaxSessionLossEur": 50}}""");

        var (code, output, _) = Run("--strategy", "hedge-grid", "--prices", file, "--config", config);

        Assert.Equal(0, code);
        Assert.Contains("kill-switch trips  1: session_loss at 2026-01-", output);
        Assert.Contains("halted for the rest", output);
        Assert.Contains("month", output);
    }

    [Fact]
    public void BadArguments_Exit2_NamingTheOptionOrKey()
    {
        var file = Prices(10, _ => 100m);
        var config = Path.Combine(_folder, "bad.json");
        File.WriteAllText(config, """{"HedgeGrid": {"Levels": 0}}""");

        Assert.Contains("--prices FILE is required", Run("--strategy", "hedge-grid").Error);
        Assert.Contains("not a strategy here", Run("--strategy", "martingale", "--prices", file).Error);
        var repeat = Run("--strategy", "hedge-grid", "--prices", file, "--repeat", "1e19");
        Assert.Equal(2, repeat.Code);
        Assert.Contains("--repeat", repeat.Error);
        var levels = Run("--strategy", "hedge-grid", "--prices", file, "--config", config);
        Assert.Equal(2, levels.Code);
        Assert.Contains("HedgeGrid:Levels: is 0", levels.Error);
        Assert.Equal(2, Run("--strategy", "hedge-grid", "--prices", Path.Combine(_folder, "missing.csv")).Code);
    }

    [Fact]
    [Trait("Category", SharedData.Category)]
    public void TheDecemberDayAheadPrices_AreReplayedBarByBar_WithAPerMonthTable()
    {
        var (code, output, error) = Run("--strategy", "hedge-grid", "--prices", SharedData.PricesFile("DE-LU_DA_15min_2025-12_SMARD.csv"), "--json");

        Assert.True(code == 0, error);
        var report = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2976, report.GetProperty("bars").GetInt32());
        Assert.Equal(2976, report.GetProperty("months").EnumerateArray().Sum(m => m.GetProperty("bars").GetInt32()));
        Assert.True(report.GetProperty("fills").GetInt32() > 0);
    }
}
