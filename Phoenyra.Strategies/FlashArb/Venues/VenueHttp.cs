using System.Net;
using System.Text.Json;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Phoenyra.Strategies.FlashArb.Venues;

/// <summary>How patient a live venue adapter is: per-attempt timeout, retries with backoff, and the circuit breaker's thresholds.</summary>
public sealed record VenuePatience(TimeSpan AttemptTimeout, int Retries, TimeSpan FirstRetryDelay, TimeSpan BreakDuration, int MinimumThroughput)
{
    public static readonly VenuePatience Default = new(TimeSpan.FromSeconds(2), 3, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), 4);
}

/// <summary>
/// One venue's HTTP calls through a Polly pipeline: a timeout per attempt, retries with exponential
/// backoff on timeouts, transport errors and 5xx (orders too: they carry a client order id the
/// venue deduplicates on), and a circuit breaker that fails fast while the venue keeps failing.
/// Every failure comes back as one sentence; nothing throws to the cycle. A field the desk reads that
/// is not a number within <see cref="MaxMagnitude"/> (a price of <c>1e29</c>) is a fault of the venue,
/// not data (<see cref="Fault"/>). <paramref name="faults"/> counts failed calls and faulty answers by venue.
/// </summary>
public sealed class VenueHttp
{
    /// <summary>No price, quantity or amount a venue sends is larger: the desk's markets cap prices far below it.</summary>
    public const decimal MaxMagnitude = 1_000_000_000m;

    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly System.Diagnostics.Metrics.Counter<long>? _faults;

    public VenueHttp(string name, HttpClient http, VenuePatience patience, TimeProvider time, System.Diagnostics.Metrics.Counter<long>? faults = null)
    {
        Name = name;
        _http = http;
        _faults = faults;
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                FailureRatio = 0.5,
                MinimumThroughput = patience.MinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = patience.BreakDuration,
            })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = transient,
                MaxRetryAttempts = patience.Retries,
                Delay = patience.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddTimeout(patience.AttemptTimeout)
            .Build();
    }

    public string Name { get; }

    /// <summary>Sends what <paramref name="request"/> builds (a new message per attempt) and reads a JSON answer, or says why not.</summary>
    public async Task<(JsonElement? Body, string? Problem)> Call(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        var (body, problem) = await Send(request, ct);
        if (problem is not null) _faults?.Add(1, new KeyValuePair<string, object?>("venue", Name));
        return (body, problem);
    }

    private async Task<(JsonElement? Body, string? Problem)> Send(Func<HttpRequestMessage> request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token => await _http.SendAsync(request(), token), ct);
        }
        catch (BrokenCircuitException)
        {
            return (null, $"{Name} keeps failing: circuit open, not calling it for now");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException)
        {
            return (null, $"{Name} could not be reached ({ex.GetType().Name}: {ex.Message})");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) return (null, $"{Name} answered {(int)response.StatusCode}: {Shorten(text)}");
            try
            {
                using var document = JsonDocument.Parse(text);
                return (document.RootElement.Clone(), null);
            }
            catch (JsonException)
            {
                return (null, $"{Name} answered something that is not JSON: {Shorten(text)}");
            }
        }
    }

    /// <summary>A number field of a venue's answer (numbers or numeric strings) within ±<see cref="MaxMagnitude"/>, or null.</summary>
    public static decimal? Number(JsonElement? body, string name) =>
        body is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) && Parse(value) is { } number && Math.Abs(number) <= MaxMagnitude
            ? number
            : null;

    private static decimal? Parse(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>
    /// Null when each of the named fields the answer has is a number within ±<see cref="MaxMagnitude"/>;
    /// otherwise the fault in one sentence (counted like a failed call). Fields not present are not faults.
    /// </summary>
    public string? Fault(JsonElement? body, params string[] names)
    {
        if (body is not { ValueKind: JsonValueKind.Object } obj) return null;
        foreach (var name in names)
            if (obj.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null && (Parse(value) is not { } number || Math.Abs(number) > MaxMagnitude))
            {
                _faults?.Add(1, new KeyValuePair<string, object?>("venue", Name));
                var raw = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                return $"{Name} answered {name}={Shorten(raw, 40)}, not a number within ±{MaxMagnitude:#,0}: the answer is treated as a fault";
            }
        return null;
    }

    private static string Shorten(string text, int length = 120) => text.Length > length ? text[..length] + "…" : text;
}
