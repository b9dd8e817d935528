using System.Diagnostics.Metrics;

namespace Phoenyra.Ops.Audit;

internal static class AuditMetrics
{
    private static readonly Meter Meter = new("Phoenyra.Ops.Audit");

    public static readonly Counter<long> Entries = Meter.CreateCounter<long>(
        "pho_audit_entries_total", description: "Control actions written to the audit log, by result.");
}
