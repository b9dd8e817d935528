using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Bess;

internal sealed class BessMetrics : IMetricSet
{
    public BessMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("Phoenyra.Bess");
        Accepted = meter.CreateCounter<long>(
            "pho_telemetry_points_total", description: "Telemetry readings accepted and stored, by site.");
        Rejected = meter.CreateCounter<long>(
            "pho_telemetry_rejected_total", description: "Telemetry readings refused as invalid (nothing stored).");
        GuardChanges = meter.CreateCounter<long>(
            "pho_bess_guard_changes_total", description: "BESS guard activations and releases, by guard and state.");
    }

    public Counter<long> Accepted { get; }
    public Counter<long> Rejected { get; }
    public Counter<long> GuardChanges { get; }
}
