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
