using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Prices;
using Phoenyra.Core.Settings;

namespace Phoenyra.Trading.Prices;

/// <summary>Section <c>Phoenyra:Trading:CsvReplay</c>: replay a price file as a market's reference price.</summary>
public sealed class CsvReplayOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Trading:CsvReplay";

    /// <summary>Path of a CSV with timestamp_utc and price_eur_mwh columns; empty disables the replay.</summary>
    public string? File { get; set; }
    public string Market { get; set; } = "DE-ID-60";

    /// <summary>Market seconds per wall-clock second (3600: an hourly file plays one row per second).</summary>
    public double Speed { get; set; } = 3600;
    public bool Loop { get; set; } = true;

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (string.IsNullOrWhiteSpace(File)) yield break;
        if (SettingsError.MissingFile($"{section}:File", File) is { } missing) yield return missing;
        if (Speed is <= 0 or > 1e7) yield return new SettingsError($"{section}:Speed", $"is {Speed}; use a positive factor such as 3600");
    }
}

/// <summary>Publishes a CSV's prices in order, spaced by their time steps divided by the speed.</summary>
internal sealed class CsvReplaySource(IBus bus, PriceHistory history, IOptions<CsvReplayOptions> options, TimeProvider time, ILogger<CsvReplaySource> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.File)) return;
        var series = await Task.Run(() => CsvPriceFile.Read(settings.File), stoppingToken); // a long file does not hold up the start
        foreach (var error in series.Errors.Take(20)) logger.LogWarning("{File} line {Line}: {Problem} (row skipped)", settings.File, error.Line, error.Problem);
        logger.LogInformation("Replaying {Count} prices from {File} into {Market} at {Speed}x ({Errors} bad rows skipped)",
            series.Points.Count, settings.File, settings.Market, settings.Speed, series.Errors.Count);
        if (series.Points.Count == 0) return;
        do
        {
            for (var i = 0; i < series.Points.Count && !stoppingToken.IsCancellationRequested; i++)
            {
                var tick = new ReferencePriceUpdated(settings.Market, series.Points[i].Price, time.GetUtcNow(), "csv");
                history.Add(tick);
                await bus.Publish(tick, stoppingToken);
                var gap = i + 1 < series.Points.Count ? series.Points[i + 1].Time - series.Points[i].Time : series.Step;
                await Task.Delay(TimeSpan.FromTicks((long)(gap.Ticks / settings.Speed)), time, stoppingToken);
            }
        } while (settings.Loop && !stoppingToken.IsCancellationRequested);
    }
}
