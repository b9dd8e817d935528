using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Bess.Imbalance;

/// <summary>Imbalance as gauges: the cost since the desk started and the last settled quarter's deviation.</summary>
internal sealed class ImbalanceGauges : IMetricSet
{
    public ImbalanceGauges(IMeterFactory meters, ImbalanceTracker tracker)
    {
        var meter = meters.Create("Phoenyra.Bess.Imbalance");
        meter.CreateObservableGauge("pho_bess_imbalance_cost_eur", () => tracker.Status.CumulativeCostEur,
            description: "Imbalance cost since the desk started, EUR (metered vs committed energy at reBAP, else the proxy price; negative: earned).");
        meter.CreateObservableGauge("pho_bess_imbalance_deviation_mwh", () => tracker.Status.Periods is [var last, ..] ? [new Measurement<double>(last.DeviationMwh)] : Array.Empty<Measurement<double>>(),
            description: "The last settled quarter-hour's deviation, MWh (metered minus committed; + long).");
    }
}
