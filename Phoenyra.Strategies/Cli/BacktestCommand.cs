using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Phoenyra.Core.Cli;
using Phoenyra.Core.Prices;
using Phoenyra.Strategies.Backtest;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Cli;

/// <summary><c>backtest --strategy hedge-grid --prices FILE [--config FILE] [--json] [--repeat N] [--spread EUR]</c></summary>
public static class BacktestCommand
{
    public const string Usage = """
        usage: Phoenyra.Web backtest --strategy hedge-grid --prices FILE [--config FILE] [--json]
                 [--repeat N] [--spread EUR] [--tick 0.01] [--lot 0.1]
        FILE: CSV with timestamp_utc and price_eur_mwh columns (e.g. SMARD exports); one bar per row.
        --config: JSON shaped like a strategy instance: {"HedgeGrid": {...}, "KillSwitch": {...}};
                  unset keys keep the desk's hedge-grid defaults from appsettings.json.
        --repeat: replay the series N times back to back (for benchmarks); --spread: the paper
                  market's bid/ask spread around the price (default 0.4 EUR/MWh, as the desk's).
        """;

    private static readonly string[] Flags = ["--json"];
    private static readonly string[] Valued = ["--strategy", "--prices", "--config", "--repeat", "--spread", "--tick", "--lot"];

    /// <param name="defaults">The desk's first hedge-grid instance section (its parameters are the starting point).</param>
    public static int Run(IReadOnlyList<string> args, IConfiguration defaults, TextWriter output, TextWriter error, bool terminal)
    {
        if (Parse(args, out var options) is { } problem) { error.WriteLine(problem + Environment.NewLine + Usage); return 2; }
        if (options.GetValueOrDefault("--strategy") != StrategyKinds.HedgeGrid) { error.WriteLine($"--strategy: '{options.GetValueOrDefault("--strategy")}' is not a strategy here; use hedge-grid"); return 2; }

        var settings = new StrategyOptions { Id = "backtest", Market = BacktestRunner.Market };
        defaults.Bind(settings);
        settings.Id = "backtest";
        settings.Market = BacktestRunner.Market;
        if (options.TryGetValue("--config", out var configFile))
        {
            try { new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(configFile), optional: false).Build().Bind(settings); }
            catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or InvalidDataException)
            { error.WriteLine($"--config: {ex.GetBaseException().Message}"); return 2; }
        }
        var invalid = settings.Validate("config").Select(e => e.Key.Replace("config:", "", StringComparison.Ordinal) + ": " + e.Problem).ToList();
        var repeat = Number("--repeat", 1m, 1, 10_000, invalid);
        var spread = Number("--spread", 0.4m, 0, 1_000, invalid);
        var tick = Number("--tick", 0.01m, 0.0001m, 100, invalid);
        var lot = Number("--lot", 0.1m, 0.0001m, 100, invalid);
        if (invalid.Count > 0) { error.WriteLine(string.Join(Environment.NewLine, invalid)); return 2; }

        PriceSeries series;
        try { series = CsvPriceFile.Read(options["--prices"]); }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException) { error.WriteLine($"--prices: {ex.Message}"); return 2; }
        foreach (var bad in series.Errors.Take(10)) error.WriteLine($"{options["--prices"]} line {bad.Line}: {bad.Problem} (skipped)");
        if (series.Points.Count == 0) { error.WriteLine("--prices: the file has no usable rows"); return 2; }

        var json = options.ContainsKey("--json");
        var bar = terminal && !json ? new ProgressBar(error) : null;
        var instrument = new GridInstrument(BacktestRunner.Market, tick, lot, (decimal)series.Step.TotalHours);
        var report = BacktestRunner.Run(series.Points, settings, instrument, halfSpreadEur: spread / 2, repeat: (int)repeat, progress: bar);
        bar?.Done();
        output.Write(json ? Json(report) : Text(report, options["--prices"], series, (int)repeat));
        return 0;

        decimal Number(string name, decimal fallback, decimal min, decimal max, List<string> problems)
        {
            if (!options.TryGetValue(name, out var text)) return fallback;
            if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                && (name != "--repeat" || value == decimal.Truncate(value))) return value;
            problems.Add($"{name}: '{text}' must be a number from {min} to {max}{(name == "--repeat" ? " (whole)" : "")}");
            return fallback;
        }
    }

    private static string? Parse(IReadOnlyList<string> args, out Dictionary<string, string> options)
    {
        options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (Flags.Contains(args[i])) options[args[i]] = "";
            else if (Valued.Contains(args[i]) && i + 1 < args.Count) options[args[i]] = args[++i];
            else return $"unknown or incomplete option '{args[i]}'";
        }
        return options.ContainsKey("--prices") ? null : "--prices FILE is required";
    }

    private static string Json(BacktestReport r) => JsonSerializer.Serialize(new
    {
        bars = r.Bars,
        fills = r.Fills,
        maker_ratio = r.MakerRatio,
        realized_pnl_eur = r.RealizedPnlEur,
        total_pnl_eur = r.TotalPnlEur,
        max_drawdown_eur = r.MaxDrawdownEur,
        long_inventory_peak_eur = r.LongInventoryPeakEur,
        short_inventory_peak_eur = r.ShortInventoryPeakEur,
        kill_switch_trips = r.KillSwitchTrips,
        first_trip = r.FirstTrip,
        events = r.Events,
        elapsed_seconds = Math.Round(r.ElapsedSeconds, 4),
        events_per_second = Math.Round(r.EventsPerSecond),
        months = r.Months.Select(m => new { month = m.Month, bars = m.Bars, fills = m.Fills, realized_pnl_eur = m.RealizedPnlEur, total_pnl_eur = m.TotalPnlEur, max_drawdown_eur = m.MaxDrawdownEur }),
    }) + Environment.NewLine;

    private static string Text(BacktestReport r, string file, PriceSeries series, int repeat)
    {
        var summary = new TextTable("", "")
            .Add("prices", $"{Path.GetFileName(file)}: {series.Points.Count} bars of {series.Step.TotalMinutes:0} min{(repeat > 1 ? $" x {repeat}" : "")}")
            .Add("fills", $"{r.Fills} ({(r.MakerRatio is { } m ? m.ToString("P1", CultureInfo.InvariantCulture) : "-")} maker)")
            .Add("realized PnL", Eur(r.RealizedPnlEur))
            .Add("total PnL", Eur(r.TotalPnlEur))
            .Add("max drawdown", Eur(r.MaxDrawdownEur))
            .Add("inventory peaks", $"long {Eur(r.LongInventoryPeakEur)}, short {Eur(r.ShortInventoryPeakEur)}")
            .Add("kill-switch trips", r.KillSwitchTrips == 0 ? "0" : $"{r.KillSwitchTrips}: {r.FirstTrip}; halted for the rest")
            .Add("speed", $"{r.Events:#,0} events in {r.ElapsedSeconds:0.000} s = {r.EventsPerSecond:#,0} events/s");
        var months = new TextTable("month", "bars", "fills", "realized EUR", "total PnL EUR", "max drawdown EUR");
        foreach (var month in r.Months)
            months.Add(month.Month, month.Bars, month.Fills, Number(month.RealizedPnlEur), Number(month.TotalPnlEur), Number(month.MaxDrawdownEur));
        return $"HedgeGridV1 backtest (EUR)\n{summary}\n{months}";
    }

    private static string Eur(decimal value) => Number(value) + " EUR";

    private static string Number(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>A bar on the terminal's error stream, redrawn at each whole percent.</summary>
    private sealed class ProgressBar(TextWriter error) : IProgress<double>
    {
        private int _shown = -1;

        public void Report(double value)
        {
            var percent = (int)(value * 100);
            if (percent == _shown) return;
            _shown = percent;
            error.Write($"\r[{new string('#', percent / 5).PadRight(20)}] {percent,3} %");
        }

        public void Done() => error.Write("\r" + new string(' ', 30) + "\r");
    }
}
