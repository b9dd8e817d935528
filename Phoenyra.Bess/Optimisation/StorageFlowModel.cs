namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// The storage LP as a min-cost flow in units of stored MWh: the grid supplies charge arcs
/// (cost p/η_c), stored energy moves forward on storage arcs (capacity = SoC window), discharge
/// arcs return it to the grid (cost −(p − c_deg)·η_d) through one node per day whose arc to the
/// grid caps the day's discharged energy (cycles × capacity / η_d). The end SoC floor is a
/// lower bound on the last storage arc, folded into the supplies.
/// </summary>
internal static class StorageFlowModel
{
    public static StorageSchedule Solve(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, bool[]? noDischarge = null)
    {
        var n = prices.Count;
        var window = battery.SocMaxMwh - battery.SocMinMwh;
        var start = battery.InitialSocMwh - battery.SocMinMwh;
        var endFloor = battery.EndSocFloorMwh - battery.SocMinMwh;
        var stepsPerDay = Math.Max(1, (int)Math.Round(24 / stepHours));
        var days = battery.CyclesPerDay is null ? 0 : (n + stepsPerDay - 1) / stepsPerDay;
        const int grid = 0;
        int Step(int t) => 1 + t;
        int Day(int d) => 1 + n + d;
        var flow = new NetworkSimplex(1 + n + days);

        var chargeArcs = new int[n];
        var dischargeArcs = new int[n];
        for (var t = 0; t < n; t++)
        {
            chargeArcs[t] = flow.AddArc(grid, Step(t), battery.ChargeEfficiency * battery.PowerMw * stepHours, prices[t] / battery.ChargeEfficiency);
            var worth = prices[t] - battery.DegradationCostPerMwh;
            dischargeArcs[t] = noDischarge?[t] == true
                ? -1
                : flow.AddArc(Step(t), days > 0 ? Day(t / stepsPerDay) : grid, battery.PowerMw * stepHours / battery.DischargeEfficiency, -worth * battery.DischargeEfficiency);
            if (t + 1 < n) flow.AddArc(Step(t), Step(t + 1), window, 0);
        }
        flow.AddArc(Step(n - 1), grid, window - endFloor, 0); // what is left at the end, above the floor
        for (var d = 0; d < days; d++)
            flow.AddArc(Day(d), grid, battery.CyclesPerDay!.Value * battery.EnergyMwh / battery.DischargeEfficiency, 0);
        flow.SetSupply(Step(0), start);
        flow.SetSupply(Step(n - 1), -endFloor);
        flow.SetSupply(grid, endFloor - start);
        flow.Solve();

        var charge = new double[n];
        var discharge = new double[n];
        for (var t = 0; t < n; t++)
        {
            charge[t] = flow.Flow(chargeArcs[t]) / (battery.ChargeEfficiency * stepHours);
            discharge[t] = dischargeArcs[t] < 0 ? 0 : flow.Flow(dischargeArcs[t]) * battery.DischargeEfficiency / stepHours;
        }
        return ScheduleCheck.Build(prices, stepHours, battery, charge, discharge);
    }
}
