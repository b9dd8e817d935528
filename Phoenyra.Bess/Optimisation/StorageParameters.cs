namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// A battery for the optimiser: power (MW, both directions), energy capacity (MWh), one-way
/// efficiencies, the SoC window and start (MWh), an optional daily cycle cap (discharged energy
/// per day ≤ cap × capacity, days counted from the first step) and an optional degradation cost
/// per MWh discharged.
/// </summary>
public sealed record StorageParameters(
    double PowerMw,
    double EnergyMwh,
    double ChargeEfficiency,
    double DischargeEfficiency,
    double SocMinMwh,
    double SocMaxMwh,
    double InitialSocMwh,
    double? CyclesPerDay = null,
    double DegradationCostPerMwh = 0,
    double? EndSocMinMwh = null)
{
    /// <summary>The plan must end at or above this SoC; by default where it started.</summary>
    public double EndSocFloorMwh => EndSocMinMwh ?? InitialSocMwh;

    /// <summary>Round-trip efficiency split evenly: √RTE each way (the golden values' convention).</summary>
    public static StorageParameters FromRoundTrip(double powerMw, double energyMwh, double roundTripEfficiency,
        double? cyclesPerDay = null, double? socMin = null, double? socMax = null, double initialSoc = 0, double degradation = 0)
    {
        var oneWay = Math.Sqrt(roundTripEfficiency);
        return new StorageParameters(powerMw, energyMwh, oneWay, oneWay, socMin ?? 0, socMax ?? energyMwh, initialSoc, cyclesPerDay, degradation);
    }

    /// <summary>Problems a user must fix, each naming the parameter; empty when the battery makes sense.</summary>
    public IEnumerable<(string Field, string Reason)> Problems()
    {
        if (!(PowerMw > 0) || double.IsInfinity(PowerMw)) yield return ("power", "must be a positive number of MW");
        if (!(EnergyMwh > 0) || double.IsInfinity(EnergyMwh)) yield return ("energy", "must be a positive number of MWh");
        if (!(ChargeEfficiency is > 0 and <= 1)) yield return ("charge_efficiency", "must be in (0, 1]");
        if (!(DischargeEfficiency is > 0 and <= 1)) yield return ("discharge_efficiency", "must be in (0, 1]");
        if (!(SocMinMwh >= 0) || !(SocMaxMwh <= EnergyMwh + 1e-9) || !(SocMinMwh <= SocMaxMwh))
            yield return ("soc_min", $"need 0 ≤ soc_min ≤ soc_max ≤ energy ({EnergyMwh} MWh)");
        if (!(InitialSocMwh >= SocMinMwh - 1e-9 && InitialSocMwh <= SocMaxMwh + 1e-9)) yield return ("initial_soc", "must lie within [soc_min, soc_max]");
        if (CyclesPerDay is { } cap && !(cap > 0)) yield return ("cycles_per_day", "must be positive when given");
        if (!(DegradationCostPerMwh >= 0)) yield return ("degradation", "must be ≥ 0 EUR/MWh");
        if (EndSocMinMwh is { } end && !(end >= SocMinMwh - 1e-9 && end <= SocMaxMwh + 1e-9)) yield return ("end_soc_min", "must lie within [soc_min, soc_max]");
    }
}

/// <summary>An optimal plan: grid-side MW per step, SoC after each step, and what it earns.</summary>
public sealed record StorageSchedule(
    double[] ChargeMw,
    double[] DischargeMw,
    double[] SocMwh,
    double RevenueEur,
    double DegradationCostEur,
    double FullEquivalentCycles,
    bool Simultaneous)
{
    public int Steps => ChargeMw.Length;
}
