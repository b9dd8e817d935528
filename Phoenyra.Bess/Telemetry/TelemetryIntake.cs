using Microsoft.Extensions.Options;
using Phoenyra.Bess.Sites;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Bess.Telemetry;

/// <summary>
/// The one way in for telemetry (REST, simulator): validate, store, publish. A bad reading changes
/// nothing. A reading is dated by the device but never later than its arrival, so a clock ahead (or a
/// reading dated in the future on purpose) cannot hide the readings that follow it.
/// </summary>
public sealed class TelemetryIntake
{
    private readonly TelemetryStore _store;
    private readonly IBus _bus;
    private readonly BessMetrics _metrics;
    private readonly IOptions<BessOptions> _options;
    private readonly TimeProvider _time;

    /// <summary>Source prefix of a reading posted by a trader's or admin's key instead of the battery (marked, audited).</summary>
    public const string OverridePrefix = "override:";

    internal TelemetryIntake(TelemetryStore store, IBus bus, IOptions<BessOptions> options, BessMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _store = store;
        _bus = bus;
        _options = options;
        _time = time;
    }

    /// <summary>Stores and publishes the reading, or returns the problems (by field) and stores nothing.</summary>
    public async Task<IReadOnlyList<ValidationError>> Submit(TelemetryRequest request, string source, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var errors = request.Check(_options.Value, now, out var site);
        if (errors.Count > 0)
        {
            _metrics.Rejected.Add(1);
            return errors;
        }
        var time = request.Ts is { } ts && ts < now ? ts : now;
        var reading = new TelemetryReceived(site!.Id, request.SocPercent!.Value, request.ActivePowerMw!.Value, request.TemperatureC!.Value, time, source);
        _store.Add(reading);
        _metrics.Accepted.Add(1, new KeyValuePair<string, object?>("site", reading.Site));
        await _bus.Publish(reading, cancellationToken);
        return [];
    }

    public TelemetryReceived? Latest(string? site = null) => _store.Latest(site ?? _options.Value.DefaultSite.Id);
}
