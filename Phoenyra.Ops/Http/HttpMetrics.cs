using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Http;

/// <summary>Request count, latency and errors by method, route template and status code; each request also goes to the access log.</summary>
internal sealed class HttpMetrics : IMetricSet
{
    private readonly AccessLog _accessLog;

    public HttpMetrics(IMeterFactory meters, AccessLog accessLog)
    {
        _accessLog = accessLog;
        var meter = meters.Create("Phoenyra.Ops.Http");
        Requests = meter.CreateCounter<long>(
            "http_requests_total", description: "HTTP requests served, by method, route template and status code.");
        Duration = meter.CreateHistogram(
            "http_request_duration_seconds", unit: "s", description: "HTTP request latency, by method and route template.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        Errors = meter.CreateCounter<long>(
            "http_request_errors_total", description: "HTTP requests that ended in a server error (5xx), by method and route template.");
        RateLimited = meter.CreateCounter<long>(
            "http_requests_rate_limited_total", description: "Requests refused with 429 by the per-key rate limiter.");
    }

    public Counter<long> Requests { get; }
    public Histogram<double> Duration { get; }
    public Counter<long> Errors { get; }
    public Counter<long> RateLimited { get; }

    /// <summary>Middleware body: the route template (not the raw path) keeps label cardinality bounded.</summary>
    public async Task Measure(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var route = RouteOf(context);
            var method = new KeyValuePair<string, object?>("method", MethodLabel(context.Request.Method));
            var routeTag = new KeyValuePair<string, object?>("route", route);
            var status = failed ? 500 : context.Response.StatusCode;
            Requests.Add(1, method, routeTag, new KeyValuePair<string, object?>("code", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, method, routeTag);
            if (status >= 500) Errors.Add(1, method, routeTag);
            _accessLog.Write(context.User.KnownKeyId(), (string)method.Value!, route, status, Stopwatch.GetElapsedTime(started), context.Connection.RemoteIpAddress?.ToString());
        }
    }

    private static readonly string[] KnownMethods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    /// <summary>The method as a label: one of the standard ones, else OTHER (a caller invents methods for free).</summary>
    private static string MethodLabel(string method) => Array.Find(KnownMethods, m => m.Equals(method, StringComparison.OrdinalIgnoreCase)) ?? "OTHER";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<RouteEndpoint, string> RouteLabels = new();

    private static string RouteOf(HttpContext context)
    {
        if (Path.HasExtension(context.Request.Path.Value)) return "static";
        if (context.Request.Path.StartsWithSegments("/_blazor")) return "/_blazor";
        return context.GetEndpoint() is RouteEndpoint endpoint
            ? RouteLabels.GetOrAdd(endpoint, static e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
            : "unmatched";
    }
}
