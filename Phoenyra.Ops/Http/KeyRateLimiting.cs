using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Security;
using Phoenyra.Ops.Auth;

using Phoenyra.Core.Http;

namespace Phoenyra.Ops.Http;

/// <summary>
/// A token bucket per API key; anonymous calls to protected paths share one bucket per client
/// address, which also slows key guessing. Pages and static files are not limited.
/// </summary>
internal static class KeyRateLimiting
{
    private static readonly string[] LimitedPrefixes = ["/api", "/admin", "/metrics", "/ws", "/telemetry"];

    public static void AddServices(IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.RateLimit;
                var keyId = context.User.KnownKeyId();
                if (keyId is null && !LimitedPrefixes.Any(p => context.Request.Path.StartsWithSegments(p)))
                    return RateLimitPartition.GetNoLimiter("open");
                var partition = keyId is not null ? "key:" + keyId : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            options.AddPolicy(Policies.ControlPlaneRate, context => RateLimitPartition.GetFixedWindowLimiter(
                "control:" + (context.User.KnownKeyId() ?? context.Connection.RemoteIpAddress?.ToString()),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.RequestServices.GetRequiredService<HttpMetrics>().RateLimited.Add(1);
                await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"The request rate limit for this key is exhausted; retry after {seconds} s.");
            };
        });
    }
}
