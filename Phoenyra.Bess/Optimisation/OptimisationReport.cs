using System.Globalization;
using System.Text;
using Phoenyra.Core.Prices;

namespace Phoenyra.Bess.Optimisation;

/// <summary>One calendar month (UTC) of an optimal plan.</summary>
public sealed record MonthOfPlan(int Year, int Month, double RevenueEur, double DischargedMwh, double FullEquivalentCycles);

/// <summary>
/// What a plan is worth in the terms a BESS owner compares: EUR per MW of power per year, cycles per
/// year (with a note when they exceed what warranties usually allow), and month by month.
/// </summary>
public sealed record OptimisationReport(double EurPerMwYear, double CyclesPerYear, IReadOnlyList<MonthOfPlan> Months, string? CycleNote)
{
    /// <summary>Two full cycles a day is the most battery warranties commonly allow.</summary>
    public const double WarrantyCyclesPerYear = 730;

    public static OptimisationReport Of(PriceSeries series, StorageSchedule plan, StorageParameters battery)
    {
        var stepHours = series.Step.TotalHours;
        var years = plan.Steps * stepHours / 8760;
        var months = series.Points.Select((p, t) => (p, t))
            .GroupBy(x => (x.p.Time.UtcDateTime.Year, x.p.Time.UtcDateTime.Month))
            .Select(g =>
            {
                var revenue = g.Sum(x => (double)x.p.Price * stepHours * (plan.DischargeMw[x.t] - plan.ChargeMw[x.t]));
                var discharged = g.Sum(x => stepHours * plan.DischargeMw[x.t]);
                return new MonthOfPlan(g.Key.Year, g.Key.Month, revenue, discharged, discharged / battery.EnergyMwh);
            })
            .ToList();
        var cyclesPerYear = years > 0 ? plan.FullEquivalentCycles / years : 0;
        var note = cyclesPerYear > WarrantyCyclesPerYear
            ? $"{cyclesPerYear:0} full cycles a year is more than the {WarrantyCyclesPerYear:0} most warranties allow; set a daily cycle cap to see a plan the battery can live with."
            : null;
        return new OptimisationReport(years > 0 ? plan.RevenueEur / battery.PowerMw / years : 0, cyclesPerYear, months, note);
    }

    /// <summary>The plan step by step: time, price, charge and discharge MW, SoC MWh (invariant CSV).</summary>
    public static string ScheduleCsv(PriceSeries series, StorageSchedule plan)
    {
        var csv = new StringBuilder("timestamp_utc,price_eur_mwh,charge_mw,discharge_mw,soc_mwh\n");
        for (var t = 0; t < plan.Steps; t++)
            csv.Append(CultureInfo.InvariantCulture, $"{series.Points[t].Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},{series.Points[t].Price},{plan.ChargeMw[t]:0.######},{plan.DischargeMw[t]:0.######},{plan.SocMwh[t]:0.######}\n");
        return csv.ToString();
    }
}
