namespace Phoenyra.Bess.Optimisation;

/// <summary>Turns per-step power into a schedule: SoC path, revenue, cycles; refuses a plan that leaves the SoC window.</summary>
internal static class ScheduleCheck
{
    /// <summary>Power below this (MW) is floating-point noise and becomes an exact zero.</summary>
    public const double NoiseMw = 1e-12;

    /// <summary>A step charges and discharges at once when both exceed this (MW).</summary>
    public const double ActiveMw = 1e-9;

    /// <summary>How far (as a share of capacity, at least 1 MWh) the SoC may stray outside its window through rounding.</summary>
    public const double SocToleranceShare = 1e-7;

    public static StorageSchedule Build(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, double[] charge, double[] discharge, bool requireEndAboveStart = true)
    {
        var n = prices.Count;
        var soc = new double[n];
        var level = battery.InitialSocMwh;
        double revenue = 0, degradation = 0, discharged = 0;
        var simultaneous = false;
        var tolerance = SocToleranceShare * Math.Max(1, battery.EnergyMwh);
        for (var t = 0; t < n; t++)
        {
            // Tiny negatives from floating point become exact zeros.
            if (charge[t] < NoiseMw) charge[t] = 0;
            if (discharge[t] < NoiseMw) discharge[t] = 0;
            level += battery.ChargeEfficiency * stepHours * charge[t] - stepHours / battery.DischargeEfficiency * discharge[t];
            if (level < battery.SocMinMwh - tolerance || level > battery.SocMaxMwh + tolerance)
                throw new InvalidOperationException($"Internal error: step {t} leaves the SoC window ({level} MWh).");
            soc[t] = Math.Clamp(level, battery.SocMinMwh, battery.SocMaxMwh);
            revenue += prices[t] * stepHours * (discharge[t] - charge[t]);
            degradation += battery.DegradationCostPerMwh * stepHours * discharge[t];
            discharged += stepHours * discharge[t];
            simultaneous |= charge[t] > ActiveMw && discharge[t] > ActiveMw;
        }
        if (requireEndAboveStart && n > 0 && soc[^1] < battery.EndSocFloorMwh - tolerance)
            throw new InvalidOperationException("Internal error: the plan ends below the initial SoC.");
        return new StorageSchedule(charge, discharge, soc, revenue, degradation, discharged / battery.EnergyMwh, simultaneous);
    }
}
