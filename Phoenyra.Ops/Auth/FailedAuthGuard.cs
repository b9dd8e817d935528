using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Http;

namespace Phoenyra.Ops.Auth;

/// <summary>
/// Slows key guessing: each client address may fail authentication (a wrong API key, a failed
/// dashboard login) <see cref="FailedAuthOptions.PerMinute"/> times a minute; after that, every
/// request from it that presents a credential gets 429 before authentication runs, until the
/// minute is over. One Warning line per address and minute says how many failures there were.
/// Memory is bounded: at most <see cref="MaxAddresses"/> addresses are tracked.
/// </summary>
internal sealed class FailedAuthGuard(IOptions<AuthOptions> options, TimeProvider time, ILogger<FailedAuthGuard> logger)
{
    public const int MaxAddresses = 10_000;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, Tally> _tallies = new(StringComparer.Ordinal);

    private sealed class Tally(DateTimeOffset start)
    {
        public DateTimeOffset Start = start;
        public int Failures;
    }

    public static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Middleware: refuses credential-carrying requests from an address over its limit.</summary>
    public Task Enforce(HttpContext context, RequestDelegate next)
    {
        if (!PresentsCredential(context) || RetryAfter(Address(context)) is not { } wait) return next(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Write(context, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
            $"This address failed authentication {options.Value.FailedAuth.PerMinute} times in a minute; retry after {seconds} s.");
    }

    /// <summary>Counts one failure; logs the first of each minute per address, with the previous minute's count.</summary>
    public void Failed(string address, string what)
    {
        var now = time.GetUtcNow();
        if (!_tallies.ContainsKey(address) && _tallies.Count >= MaxAddresses) Sweep(now);
        var tally = _tallies.GetOrAdd(address, _ => new Tally(now));
        int previous = 0, count;
        lock (tally)
        {
            if (now - tally.Start >= Window)
            {
                previous = tally.Failures;
                (tally.Start, tally.Failures) = (now, 0);
            }
            count = ++tally.Failures;
        }
        if (count == 1)
            logger.LogWarning("Failed authentication from {Address}: {What}{Earlier}; further failures from it this minute are counted, not logged",
                address, what, previous > 1 ? $" ({previous} in its previous minute)" : "");
    }

    private TimeSpan? RetryAfter(string address)
    {
        if (!_tallies.TryGetValue(address, out var tally)) return null;
        lock (tally)
        {
            var left = Window - (time.GetUtcNow() - tally.Start);
            return tally.Failures >= options.Value.FailedAuth.PerMinute && left > TimeSpan.Zero ? left : null;
        }
    }

    private static bool PresentsCredential(HttpContext context) =>
        ApiKeyAuthenticationHandler.PresentedKey(context) is not null
        || (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/auth/login"));

    // Expired windows go first; if every address is fresh, the table is full of attackers: start over.
    private void Sweep(DateTimeOffset now)
    {
        foreach (var (address, tally) in _tallies)
            if (now - tally.Start >= Window) _tallies.TryRemove(address, out _);
        if (_tallies.Count >= MaxAddresses) _tallies.Clear();
    }
}

/// <summary>Failed authentications allowed per client address and minute, section <c>Phoenyra:Auth:FailedAuth</c>.</summary>
public sealed class FailedAuthOptions
{
    public int PerMinute { get; set; } = 20;
}
