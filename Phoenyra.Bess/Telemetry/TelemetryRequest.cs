using Phoenyra.Bess.Sites;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.Telemetry;

/// <summary>The seed's body <c>{"soc_percent":72.5,"active_power_mw":3.8,"temperature_c":28.3}</c> with optional <c>site</c> and <c>ts</c>.</summary>
public sealed record TelemetryRequest(double? SocPercent, double? ActivePowerMw, double? TemperatureC, string? Site, DateTimeOffset? Ts)
{
    /// <summary>Every problem by field; a reading is stored only when there are none.</summary>
    public List<ValidationError> Check(BessOptions options, DateTimeOffset now, out SiteOptions? site)
    {
        var errors = new List<ValidationError>();
        site = options.Site(Site);
        if (site is null) errors.Add(new("site", $"'{Shown(Site)}' is not a configured site; use one of {string.Join(", ", options.Sites.Select(s => s.Id))}"));
        if (SocPercent is not { } soc) errors.Add(new("soc_percent", "is required"));
        else if (!double.IsFinite(soc) || soc is < 0 or > 100) errors.Add(new("soc_percent", $"must be within 0..100, got {soc}"));
        if (TemperatureC is not { } temperature) errors.Add(new("temperature_c", "is required"));
        else if (!double.IsFinite(temperature) || temperature is < -40 or > 100) errors.Add(new("temperature_c", $"must be within -40..100 °C, got {temperature}"));
        if (ActivePowerMw is not { } power) errors.Add(new("active_power_mw", "is required"));
        else if (!double.IsFinite(power)) errors.Add(new("active_power_mw", "must be a finite number"));
        else if (site is not null && Math.Abs(power) > site.PowerMw * (1 + options.PowerTolerance))
            errors.Add(new("active_power_mw", $"{power} MW is beyond the {site.Id} rating of {site.PowerMw} MW (+{options.PowerTolerance:P0})"));
        if (Ts is { } ts && ts > now.AddSeconds(options.MaxFutureSeconds))
            errors.Add(new("ts", $"{ts:O} is more than {options.MaxFutureSeconds} s in the future"));
        return errors;
    }

    /// <summary>A site name from the caller as the audit and the answer show it: at most 64 characters.</summary>
    public static string? Shown(string? site) => site is { Length: > 64 } ? site[..64] + "…" : site;
}
