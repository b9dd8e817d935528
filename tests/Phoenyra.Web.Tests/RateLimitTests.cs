using System.Net;

namespace Phoenyra.Web.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task AKeyOverItsBurst_Gets429WithRetryAfter_WhileOtherKeysStillPass()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Auth:RateLimit:Burst"] = "3",
            ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "1",
        });
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await admin.GetAsync("/admin/keys");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.NotNull(limited);
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task HealthChecks_AreNeverRateLimited()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Auth:RateLimit:Burst"] = "1", ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "1" });
        var client = desk.ClientWithKey(null);

        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
