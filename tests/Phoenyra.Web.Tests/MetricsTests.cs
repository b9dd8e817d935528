namespace Phoenyra.Web.Tests;

public sealed class MetricsTests(DeskFactory desk) : IClassFixture<DeskFactory>
{
    [Fact]
    public async Task Scrape_PassesPromtoolCheckMetrics()
    {
        var client = desk.ClientWithKey(DeskFactory.ViewerKey);
        await client.GetAsync("/health");
        await desk.ClientWithKey(null).GetAsync("/admin/audit"); // a 401, so status codes vary
        var scrape = await client.GetStringAsync("/metrics");

        var (exitCode, output) = await Promtool.CheckMetrics(scrape);

        Assert.True(exitCode == 0, $"promtool check metrics failed:\n{output}\n--- scrape ---\n{scrape}");
        Assert.Equal("", output.Trim());
    }

    [Fact]
    public async Task Scrape_HasProcessAndHttpFamilies_WithRouteTemplatesAsLabels()
    {
        var client = desk.ClientWithKey(DeskFactory.ViewerKey);
        await client.GetAsync("/health");
        await client.GetAsync("/admin/keys"); // 403 for a viewer

        var scrape = await client.GetStringAsync("/metrics");

        Assert.Contains("# TYPE process_resident_memory_bytes gauge", scrape);
        Assert.Contains("# TYPE process_cpu_seconds_total counter", scrape);
        Assert.Contains("# TYPE http_request_duration_seconds histogram", scrape);
        Assert.Contains("http_requests_total{code=\"200\",method=\"GET\",route=\"/health\"}", scrape);
        Assert.Contains("http_requests_total{code=\"403\",method=\"GET\",route=\"/admin/keys\"}", scrape);
        Assert.Contains("http_request_duration_seconds_bucket{method=\"GET\",route=\"/health\",le=\"+Inf\"}", scrape);
    }

    [Fact]
    public async Task MadeUpMethods_AreOneLabel_SoAnonymousCallersCannotGrowTheScrape()
    {
        var anonymous = desk.ClientWithKey(null);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/health"));
        await viewer.GetStringAsync("/metrics");
        var before = await viewer.GetStringAsync("/metrics");
        for (var i = 0; i < 200; i++)
            await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod($"BREW{i}"), "/health"));

        var after = await viewer.GetStringAsync("/metrics");

        Assert.DoesNotContain("BREW", after);
        Assert.Contains("method=\"OTHER\"", after);
        Assert.Equal(before.Split('\n').Count(l => l.StartsWith("http_", StringComparison.Ordinal)), after.Split('\n').Count(l => l.StartsWith("http_", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Scrape_HasThePrometheusContentType()
    {
        var response = await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/metrics");

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }
}
