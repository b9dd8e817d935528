using Phoenyra.Core.Settings;

namespace Phoenyra.Bess.Simulation;

/// <summary>Section <c>Phoenyra:Bess:Simulator</c>: the paper-mode battery for the default site.</summary>
public sealed class SimulatorOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Bess:Simulator";

    public bool Enabled { get; set; } = true;
    public int IntervalMs { get; set; } = 1000;
    public double InitialSocPercent { get; set; } = 50;
    public double AmbientC { get; set; } = 22;

    /// <summary>Steady-state temperature rise at full power, °C.</summary>
    public double HeatAtFullPowerC { get; set; } = 12;
    public double ThermalTimeConstantSeconds { get; set; } = 600;

    /// <summary>A fill is delivered as a set-point for this long (one product period).</summary>
    public double DeliveryMinutes { get; set; } = 15;

    /// <summary>Accounts whose trades are not the battery's (the simulated market maker).</summary>
    public List<string> IgnoreAccounts { get; set; } = ["sim-mm"];

    /// <summary>After telemetry from anyone else (a device, the dashboard sliders) the simulator pauses this long and then continues from it.</summary>
    public double OverrideMinutes { get; set; } = 5;

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (IntervalMs is < 50 or > 60_000) yield return new SettingsError($"{section}:IntervalMs", $"is {IntervalMs}; use 50..60000");
        if (InitialSocPercent is < 0 or > 100) yield return new SettingsError($"{section}:InitialSocPercent", "must be within 0..100");
        if (ThermalTimeConstantSeconds <= 0) yield return new SettingsError($"{section}:ThermalTimeConstantSeconds", "must be positive");
        if (DeliveryMinutes <= 0) yield return new SettingsError($"{section}:DeliveryMinutes", "must be positive");
        if (OverrideMinutes < 0) yield return new SettingsError($"{section}:OverrideMinutes", "must be ≥ 0");
    }
}
