using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Sites;

namespace Phoenyra.Bess.Telemetry;

/// <summary>The seed's gauges pho_soc_percent, pho_bess_power_mw, pho_temp_celsius (label <c>site</c>) from the latest readings, and their age.</summary>
internal sealed class TelemetryGauges : Core.Metrics.IMetricSet
{
    public TelemetryGauges(TelemetryStore store, IOptions<BessOptions> options, IMeterFactory meters, TimeProvider time)
    {
        var meter = meters.Create("Phoenyra.Bess.Telemetry");
        void Gauge(string name, string description, Func<Core.Contracts.TelemetryReceived, double> read) =>
            meter.CreateObservableGauge(name, () => options.Value.Sites
                .Select(s => store.Latest(s.Id))
                .Where(r => r is not null)
                .Select(r => new Measurement<double>(read(r!), new KeyValuePair<string, object?>("site", r!.Site))),
                description: description);
        Gauge("pho_soc_percent", "Battery state of charge, percent (latest reading).", r => r.SocPercent);
        Gauge("pho_bess_power_mw", "Battery active power, MW (positive = discharging).", r => r.ActivePowerMw);
        Gauge("pho_temp_celsius", "Battery temperature, degrees Celsius.", r => r.TemperatureC);
        Gauge("pho_telemetry_age_seconds", "Seconds since the latest reading's time (the stale-telemetry guard acts past policy.yaml's stale_after_seconds).",
            r => Math.Max(0, (time.GetUtcNow() - r.Time).TotalSeconds));
    }
}

/// <summary>Deletes telemetry and the planner's stored prices older than the retention, once an hour.</summary>
internal sealed class HistoryRetention(TelemetryStore store, Forecasting.PriceHistoryStore prices, IOptions<BessOptions> options, TimeProvider time) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        try
        {
            do
            {
                var cutoff = time.GetUtcNow().AddDays(-options.Value.HistoryRetentionDays);
                store.DeleteOlderThan(cutoff);
                prices.DeleteOlderThan(cutoff);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
    }
}
