using System.Diagnostics.Metrics;

namespace Phoenyra.Bess;

internal static class BessMetrics
{
    public static readonly Meter Meter = new("Phoenyra.Bess");

    public static readonly Counter<long> Accepted = Meter.CreateCounter<long>(
        "pho_telemetry_points_total", description: "Telemetry readings accepted and stored, by site.");

    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>(
        "pho_telemetry_rejected_total", description: "Telemetry readings refused as invalid (nothing stored).");

    public static readonly Counter<long> GuardChanges = Meter.CreateCounter<long>(
        "pho_bess_guard_changes_total", description: "BESS guard activations and releases, by guard and state.");
}
