using System.Diagnostics.Metrics;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Bess.Envelope;

/// <summary>The envelope of each market's next delivery period as gauges: the most the battery can still sell and buy there.</summary>
internal sealed class EnvelopeGauges : IMetricSet
{
    public EnvelopeGauges(IMeterFactory meters, EnvelopeTracker tracker, TimeProvider time)
    {
        var meter = meters.Create("Phoenyra.Bess.Envelope");
        IEnumerable<Measurement<double>> Next(Func<Phoenyra.Core.Contracts.EnvelopePeriod, decimal> value) =>
            tracker.Markets.Select(m => (Market: m, Period: tracker.Latest(m)?.DeliveryPeriod(time.GetUtcNow())))
                .Where(x => x.Period is not null)
                .Select(x => new Measurement<double>((double)value(x.Period!), new KeyValuePair<string, object?>("market", x.Market)));
        meter.CreateObservableGauge("pho_bess_envelope_max_sell_mw", () => Next(p => p.MaxSellMw),
            description: "The most the battery can still sell (discharge) in the market's next delivery period, MW (infeasible_soc beyond it).");
        meter.CreateObservableGauge("pho_bess_envelope_max_buy_mw", () => Next(p => p.MaxBuyMw),
            description: "The most the battery can still buy (charge) in the market's next delivery period, MW (infeasible_soc beyond it).");
    }
}
