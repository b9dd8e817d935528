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
    public async Task<IReadOnlyList<ValidationError>> Submit(TelemetryRequest request, string source, CancellationToken cancellationToken = default) =>
        (await Take(request, source, reading => { _store.Add(reading); return true; }, cancellationToken)).Errors;

    /// <summary>
    /// The simulator's way in: the reading is taken only while its site's latest reading is still
    /// <paramref name="expected"/> (the simulator's own last one), so a device's or an operator's reading
    /// that arrived in between is never buried under a simulated one. <c>Recorded</c> is null when not taken.
    /// </summary>
    internal Task<(IReadOnlyList<ValidationError> Errors, TelemetryReceived? Recorded)> SubmitInPlaceOf(
        TelemetryReceived? expected, TelemetryRequest request, string source, CancellationToken cancellationToken) =>
        Take(request, source, reading => _store.AddInPlaceOf(reading, expected), cancellationToken);

    private async Task<(IReadOnlyList<ValidationError> Errors, TelemetryReceived? Recorded)> Take(
        TelemetryRequest request, string source, Func<TelemetryReceived, bool> record, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var errors = request.Check(_options.Value, now, out var site);
        if (errors.Count > 0)
        {
            _metrics.Rejected.Add(1);
            return (errors, null);
        }
        var time = request.Ts is { } ts && ts < now ? ts : now;
        var reading = new TelemetryReceived(site!.Id, request.SocPercent!.Value, request.ActivePowerMw!.Value, request.TemperatureC!.Value, time, source);
        if (!record(reading)) return ([], null);
        _metrics.Accepted.Add(1, new KeyValuePair<string, object?>("site", reading.Site));
        await _bus.Publish(reading, cancellationToken);
        return ([], reading);
    }

    public TelemetryReceived? Latest(string? site = null) => _store.Latest(site ?? _options.Value.DefaultSite.Id);
}
