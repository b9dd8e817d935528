using System.Diagnostics;

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
    public async Task Scrape_HasThePrometheusContentType()
    {
        var response = await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/metrics");

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }
}

/// <summary>Runs the real promtool (installed by ./test.sh from Debian's prometheus package).</summary>
internal static class Promtool
{
    public static string Path =>
        Environment.GetEnvironmentVariable("PROMTOOL") is { Length: > 0 } configured ? configured
        : RepoFile(".tools/bin/promtool") is { } local ? local
        : "promtool";

    public static Task<(int ExitCode, string Output)> CheckMetrics(string scrape) => Run("check metrics", scrape);

    public static async Task<(int ExitCode, string Output)> Run(string arguments, string? input = null)
    {
        var start = new ProcessStartInfo(Path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
