using Phoenyra.Core.Settings;

namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// HedgeGridV1's parameters, named as in the original's configuration (<c>grid_step_bps</c>,
/// <c>levels</c>, <c>base_qty</c>, <c>qty_scale</c>, <c>tp_steps</c>, <c>sl_steps</c>,
/// <c>recenter_trigger_bps</c>, <c>max_inventory</c>); quantities in MW, money in EUR.
/// </summary>
public sealed record GridParameters(
    decimal GridStepBps = 25m,
    int Levels = 5,
    decimal BaseQty = 0.1m,
    decimal QtyScale = 1.2m,
    int TpSteps = 2,
    int SlSteps = 3,
    decimal RecenterTriggerBps = 100m,
    decimal MaxInventory = 50_000m)
{
    /// <summary>Each problem names its parameter the way the original's configuration does.</summary>
    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (GridStepBps is <= 0 or > 5_000) yield return new SettingsError($"{prefix}:GridStepBps", $"is {GridStepBps}; use a step above 0 and at most 5000 bps (grid_step_bps)");
        if (Levels is < 1 or > 50) yield return new SettingsError($"{prefix}:Levels", $"is {Levels}; use 1..50 rungs a side (levels)");
        if (BaseQty <= 0) yield return new SettingsError($"{prefix}:BaseQty", $"is {BaseQty}; it must be a positive MW quantity (base_qty)");
        if (QtyScale is < 1 or > 3) yield return new SettingsError($"{prefix}:QtyScale", $"is {QtyScale}; use 1..3 (qty_scale)");
        if (TpSteps is < 1 or > 100) yield return new SettingsError($"{prefix}:TpSteps", $"is {TpSteps}; use 1..100 steps (tp_steps)");
        if (SlSteps is < 1 or > 100) yield return new SettingsError($"{prefix}:SlSteps", $"is {SlSteps}; use 1..100 steps (sl_steps)");
        if (RecenterTriggerBps <= 0) yield return new SettingsError($"{prefix}:RecenterTriggerBps", $"is {RecenterTriggerBps}; it must be positive (recenter_trigger_bps)");
        if (MaxInventory <= 0) yield return new SettingsError($"{prefix}:MaxInventory", $"is {MaxInventory}; it must be a positive EUR notional (max_inventory)");
    }
}

/// <summary>What the grid needs to know of its market: tick, lot and product length (for notional in EUR).</summary>
public sealed record GridInstrument(string Market, decimal Tick, decimal Lot, decimal ProductHours);
