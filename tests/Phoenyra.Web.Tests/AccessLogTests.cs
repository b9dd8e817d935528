using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;

namespace Phoenyra.Web.Tests;

/// <summary>The seeds' API access log (logs/api_access.log): one line per request, key id never the key, no forged lines, daily files.</summary>
public sealed class AccessLogTests
{
    [Fact]
    public async Task EveryRequest_IsOneLine_WithTheKeyIdNotTheKey_AndAPathCannotForgeALine()
    {
        using var desk = new DeskFactory();
        await desk.ClientWithKey(DeskFactory.TraderKey).PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price = 50, tif = "ioc" });
        await desk.ClientWithKey(null).GetAsync("/api/positions");
        await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/api/nothing%0D%0A2026-01-01T00:00:00.000Z admin POST /admin/keys 201");

        var lines = await Lines(desk, 3);

        Assert.Contains(lines, l => l.Contains(" test-trader POST /api/orders 200 "));
        Assert.Contains(lines, l => l.Contains(" - GET /api/positions 401 "));
        Assert.Contains(lines, l => l.Contains(" test-viewer GET unmatched 404 "));
        Assert.DoesNotContain(lines, l => l.Contains("admin POST /admin/keys") || l.Contains(DeskFactory.TraderKey));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ [A-Z]+ \S+ \d{3} [\d.]+ms \S+$", l));
    }

    [Fact]
    public async Task AtMidnightUtc_TheDaysFileIsRenamedByDate_AndOldFilesAreDeleted()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        using var desk = DeskFactory.WithClock(clock);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        var folder = Path.Combine(desk.DataDir, "logs");
        File.WriteAllText(Path.Combine(folder, "api_access-2026-10-01.log"), "old\n");

        await viewer.GetAsync("/api/positions");
        await Lines(desk, 1);
        clock.Advance(TimeSpan.FromMinutes(2));
        await viewer.GetAsync("/api/trades");
        await Lines(desk, 1, file => !file.Contains("/api/positions"));

        Assert.Contains("/api/positions", File.ReadAllText(Path.Combine(folder, "api_access-2026-11-30.log")));
        Assert.Contains("2026-12-01T00:0", File.ReadAllText(Path.Combine(folder, "api_access.log")));
        Assert.False(File.Exists(Path.Combine(folder, "api_access-2026-10-01.log")), "a file older than 30 days was kept");
    }

    [Fact]
    public async Task AnonymousLinesAreCappedPerSecond_AndAFullFileRotatesBySize_WithinATotalCap()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow); // one second of business time for the whole test
        using var desk = DeskFactory.WithClock(clock, new Dictionary<string, string?>
        {
            ["Phoenyra:Http:AccessLogAnonymousLinesPerSecond"] = "5",
            ["Phoenyra:Http:AccessLogFileMegabytes"] = "1",
            ["Phoenyra:Http:AccessLogTotalMegabytes"] = "2",
        });
        var folder = Path.Combine(desk.DataDir, "logs");
        var today = clock.GetUtcNow().UtcDateTime;
        var full = Path.Combine(folder, "api_access.log");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(full, new string('x', 1_100_000) + "\n");
        foreach (var daysAgo in new[] { 1, 2 })
        {
            var part = Path.Combine(folder, $"api_access-{today.AddDays(-daysAgo):yyyy-MM-dd}.log");
            await File.WriteAllTextAsync(part, new string('y', 1_000_000));
            File.SetLastWriteTimeUtc(part, today.AddDays(-daysAgo));
        }

        var anonymous = desk.ClientWithKey(null);
        for (var i = 0; i < 50; i++) await anonymous.GetAsync("/api/positions");
        await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/api/trades");

        var lines = await Lines(desk, 6, text => text.Contains("/api/trades"));
        Assert.Equal(5, lines.Count(l => l.Split(' ')[1] == "-"));
        Assert.Contains("pho_access_log_dropped_total{reason=\"anonymous_cap\"} 45", await desk.ClientWithKey(DeskFactory.ViewerKey).GetStringAsync("/metrics"));
        Assert.Equal(1_100_001, new FileInfo(Path.Combine(folder, $"api_access-{today:yyyy-MM-dd}.log")).Length); // the full file, rotated by size
        Assert.False(File.Exists(Path.Combine(folder, $"api_access-{today.AddDays(-2):yyyy-MM-dd}.log")), "the total stayed above 2 MB");
        Assert.False(File.Exists(Path.Combine(folder, $"api_access-{today.AddDays(-1):yyyy-MM-dd}.log")), "the total stayed above 2 MB");
    }

    // The writer is off the request path: wait for the lines to land.
    private static async Task<string[]> Lines(DeskFactory desk, int atLeast, Func<string, bool>? until = null)
    {
        var path = Path.Combine(desk.DataDir, "logs", "api_access.log");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (File.Exists(path))
            {
                var text = await File.ReadAllTextAsync(path);
                var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                if (lines.Length >= atLeast && (until is null || until(text))) return lines;
            }
            await Task.Delay(50);
        }
        Assert.Fail($"{path} did not get {atLeast} lines");
        return [];
    }
}
