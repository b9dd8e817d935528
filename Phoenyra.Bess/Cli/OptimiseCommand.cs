using System.Globalization;
using System.Text.Json;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Core.Cli;
using Phoenyra.Core.Prices;

namespace Phoenyra.Bess.Cli;

/// <summary>
/// <c>optimise --prices FILE --power 1 --energy 2 --rte 0.9 [--cycles-per-day N] [--soc-min 0]
/// [--soc-max E] [--soc-start 0] [--eta-charge X --eta-discharge Y] [--degradation EUR/MWh] [--json]</c>
/// </summary>
public static class OptimiseCommand
{
    public const string Usage = """
        usage: Phoenyra.Web optimise --prices FILE --power MW --energy MWh --rte 0.9
                 [--cycles-per-day N] [--soc-min MWh] [--soc-max MWh] [--soc-start MWh]
                 [--eta-charge X --eta-discharge Y] [--degradation EUR/MWh]
                 [--rolling persistence|day-ahead [--horizon-hours 24] [--imbalance REBAP_FILE]] [--json]
        FILE: CSV with timestamp_utc and price_eur_mwh columns (e.g. SMARD exports).
        REBAP_FILE: CSV with timestamp_utc, rebap_pos_eur_mwh, rebap_neg_eur_mwh: what the rolling
        run's deviations from a day-ahead commitment (bid on yesterday's prices) would cost.
        Efficiencies are sqrt(rte) each way unless given separately.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var options = Parse(args, out var problem);
        if (problem is not null)
        {
            error.WriteLine(problem + Environment.NewLine + Usage);
            return 2;
        }
        PriceSeries series;
        try
        {
            series = CsvPriceFile.Read(options["--prices"]);
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            error.WriteLine($"--prices: {ex.Message}");
            return 2;
        }
        foreach (var bad in series.Errors.Take(10)) error.WriteLine($"{options["--prices"]} line {bad.Line}: {bad.Problem} (skipped)");
        if (series.Points.Count == 0) { error.WriteLine("--prices: the file has no usable rows"); return 2; }

        double Number(string name, double fallback) => options.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var energy = Number("--energy", double.NaN);
        var rte = Number("--rte", 1);
        var battery = new StorageParameters(
            Number("--power", double.NaN), energy,
            Number("--eta-charge", Math.Sqrt(rte)), Number("--eta-discharge", Math.Sqrt(rte)),
            Number("--soc-min", 0), Number("--soc-max", energy), Number("--soc-start", Number("--soc-min", 0)),
            options.ContainsKey("--cycles-per-day") ? Number("--cycles-per-day", 0) : null,
            Number("--degradation", 0));
        var invalid = battery.Problems().Select(p => $"--{p.Field.Replace('_', '-')}: {p.Reason}").ToList();
        if (!(rte is > 0 and <= 1)) invalid.Add("--rte: must be in (0, 1]");
        if (invalid.Count > 0) { error.WriteLine(string.Join(Environment.NewLine, invalid)); return 2; }

        var prices = series.Points.Select(p => (double)p.Price).ToArray();
        var result = StorageOptimiser.Solve(prices, series.Step.TotalHours, battery, exact: true);
        RollingResult? rolling = null;
        if (options.TryGetValue("--rolling", out var mode))
        {
            if (battery.CyclesPerDay is not null) { error.WriteLine("--rolling: a cycle cap is not supported with rolling horizon yet"); return 2; }
            var horizon = Math.Max(1, (int)Math.Round(Number("--horizon-hours", 24) / series.Step.TotalHours));
            rolling = RollingHorizon.Simulate(prices, series.Step.TotalHours, battery, horizon, mode == "day-ahead" ? PriceForecast.DayAhead : PriceForecast.Persistence);
        }
        Imbalance.DayAheadCommitmentReport? imbalance = null;
        if (options.TryGetValue("--imbalance", out var imbalanceFile))
        {
            if (rolling is null) { error.WriteLine("--imbalance: needs --rolling (the imbalance is the rolling run's deviation from its day-ahead commitment)"); return 2; }
            try
            {
                imbalance = Imbalance.DayAheadCommitment.Settle(prices, series.Points.Select(p => p.Time).ToList(), series.Step.TotalHours, battery,
                    Math.Max(1, (int)Math.Round(Number("--horizon-hours", 24) / series.Step.TotalHours)), Imbalance.ImbalancePrices.Read(imbalanceFile));
            }
            catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
            {
                error.WriteLine($"--imbalance: {ex.Message}");
                return 2;
            }
        }
        if (options.ContainsKey("--json"))
            output.WriteLine(Json(series, battery, result, rolling, imbalance));
        else
            output.Write(Summary(options["--prices"], series, battery, result, rolling, imbalance));
        return 0;
    }

    private static Dictionary<string, string> Parse(IReadOnlyList<string> args, out string? problem)
    {
        var known = new HashSet<string> { "--prices", "--power", "--energy", "--rte", "--cycles-per-day", "--soc-min", "--soc-max", "--soc-start", "--eta-charge", "--eta-discharge", "--degradation", "--rolling", "--horizon-hours", "--imbalance" };
        var values = new Dictionary<string, string>();
        problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--json") { values["--json"] = "true"; continue; }
            if (!known.Contains(args[i])) { problem = $"unknown option '{args[i]}'"; return values; }
            if (i + 1 >= args.Count) { problem = $"{args[i]} needs a value"; return values; }
            if (args[i] is not ("--prices" or "--rolling" or "--imbalance") && !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            { problem = $"{args[i]}: '{args[i + 1]}' is not a number"; return values; }
            values[args[i]] = args[++i];
        }
        if (values.TryGetValue("--rolling", out var mode) && mode is not ("persistence" or "day-ahead"))
        { problem = $"--rolling: '{mode}' is not persistence or day-ahead"; return values; }
        foreach (var required in new[] { "--prices", "--power", "--energy" })
            if (!values.ContainsKey(required)) { problem = $"{required} is required"; return values; }
        return values;
    }

    private static string Json(PriceSeries series, StorageParameters battery, OptimisationResult result, RollingResult? rolling, Imbalance.DayAheadCommitmentReport? imbalance) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["imbalance_committed_revenue_eur"] = imbalance is null ? null : Cents(imbalance.CommittedRevenueEur),
        ["imbalance_cost_eur"] = imbalance is null ? null : Cents(imbalance.ImbalanceCostEur),
        ["imbalance_deviation_mwh"] = imbalance is null ? null : Math.Round(imbalance.DeviationMwh, 4),
        ["imbalance_net_eur"] = imbalance is null ? null : Cents(imbalance.NetEur),
        ["imbalance_unpriced_steps"] = imbalance?.UnpricedSteps,
        ["rolling_revenue_eur"] = rolling is null ? null : Cents(rolling.RevenueEur),
        ["rolling_captured_share"] = rolling is null ? null : Math.Round(rolling.CapturedShare, 6),
        ["revenue_eur"] = Cents(result.Schedule.RevenueEur),
        ["revenue_eur_no_simultaneous"] = Cents(result.NoSimultaneous.RevenueEur),
        ["revenue_eur_no_simultaneous_heuristic"] = Cents((result.Heuristic ?? result.NoSimultaneous).RevenueEur),
        ["no_simultaneous_exact"] = result.NoSimultaneousIsExact,
        ["no_simultaneous_elapsed_ms"] = Math.Round(result.ExactElapsedMs, 3),
        ["heuristic_elapsed_ms"] = Math.Round(result.HeuristicElapsedMs, 3),
        ["cycles"] = Math.Round(result.Schedule.FullEquivalentCycles, 4),
        ["steps"] = series.Points.Count,
        ["step_hours"] = series.Step.TotalHours,
        ["elapsed_ms"] = Math.Round(result.ElapsedMs, 3),
        ["lp_elapsed_ms"] = Math.Round(result.LpElapsedMs, 3),
        ["simultaneous_steps"] = result.Schedule.ChargeMw.Zip(result.Schedule.DischargeMw).Count(x => x.First > 1e-9 && x.Second > 1e-9),
        ["degradation_cost_eur"] = Cents(result.Schedule.DegradationCostEur),
        ["bad_rows"] = series.Errors.Count,
        ["power_mw"] = battery.PowerMw,
        ["energy_mwh"] = battery.EnergyMwh,
        ["eta_charge"] = battery.ChargeEfficiency,
        ["eta_discharge"] = battery.DischargeEfficiency,
        ["cycles_per_day"] = battery.CyclesPerDay,
    });

    private static decimal Cents(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);

    private static string Summary(string file, PriceSeries series, StorageParameters battery, OptimisationResult result, RollingResult? rolling,
        Imbalance.DayAheadCommitmentReport? imbalance)
    {
        var s = result.Schedule;
        var table = new TextTable("", "value");
        table.Add("prices", $"{Path.GetFileName(file)}: {series.Points.Count:N0} steps of {series.Step.TotalMinutes:0} min, {series.Points[0].Time:yyyy-MM-dd} .. {series.Points[^1].Time:yyyy-MM-dd}");
        table.Add("battery", $"{battery.PowerMw} MW / {battery.EnergyMwh} MWh, eta {battery.ChargeEfficiency:0.####}/{battery.DischargeEfficiency:0.####}, SoC {battery.SocMinMwh}..{battery.SocMaxMwh} MWh"
            + (battery.CyclesPerDay is { } c ? $", ≤ {c} cycles/day" : ""));
        table.Add("revenue (LP optimum)", $"{Cents(s.RevenueEur):N2} EUR");
        table.Add("revenue, never charging and discharging at once", $"{Cents(result.NoSimultaneous.RevenueEur):N2} EUR ({(result.NoSimultaneousIsExact ? "optimum" : "heuristic")}; the fast heuristic: {Cents((result.Heuristic ?? result.NoSimultaneous).RevenueEur):N2} EUR)");
        table.Add("full-equivalent cycles", $"{s.FullEquivalentCycles:N1}");
        table.Add("energy charged / discharged", $"{s.ChargeMw.Sum() * series.Step.TotalHours:N1} / {s.DischargeMw.Sum() * series.Step.TotalHours:N1} MWh");
        if (battery.DegradationCostPerMwh > 0) table.Add("degradation cost", $"{Cents(s.DegradationCostEur):N2} EUR");
        if (rolling is not null)
            table.Add("rolling horizon (re-plan every step)", $"{Cents(rolling.RevenueEur):N2} EUR = {rolling.CapturedShare:P1} of perfect foresight ({rolling.Plans:N0} plans, {rolling.ElapsedMs:N0} ms)");
        if (imbalance is not null)
        {
            table.Add("day-ahead commitment (bid on yesterday's prices)", $"{Cents(imbalance.CommittedRevenueEur):N2} EUR at the day-ahead prices");
            table.Add("imbalance of the rolling run's deviations", $"{Cents(imbalance.ImbalanceCostEur):N2} EUR on {imbalance.DeviationMwh:N1} MWh"
                + (imbalance.UnpricedSteps > 0 ? $" ({imbalance.UnpricedSteps:N0} steps outside the imbalance file)" : ""));
            table.Add("net: commitment less imbalance", $"{Cents(imbalance.NetEur):N2} EUR");
        }
        table.Add("solve time", $"{result.LpElapsedMs:N1} ms (LP), {result.HeuristicElapsedMs:N1} ms (heuristic), {result.ExactElapsedMs:N1} ms (no-simultaneous optimum, SCIP), {result.ElapsedMs:N1} ms in all");
        var months = new TextTable("month", "revenue EUR", "charged MWh", "discharged MWh", "mean price");
        var dt = series.Step.TotalHours;
        foreach (var month in series.Points.Select((p, i) => (p, i)).GroupBy(x => x.p.Time.ToString("yyyy-MM")))
            months.Add(month.Key,
                month.Sum(x => (double)x.p.Price * dt * (s.DischargeMw[x.i] - s.ChargeMw[x.i])).ToString("N2"),
                month.Sum(x => s.ChargeMw[x.i] * dt).ToString("N1"),
                month.Sum(x => s.DischargeMw[x.i] * dt).ToString("N1"),
                month.Average(x => (double)x.p.Price).ToString("N2"));
        return table + Environment.NewLine + months;
    }
}
