using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Bess.Telemetry;

namespace Phoenyra.Benchmarks.Telemetry;

/// <summary>
/// <c>telemetry [points]</c>: readings through the full in-process intake (validation, latest state,
/// bus publish with the guard evaluator and simulator listening, batched SQLite history) on one thread.
/// </summary>
internal static class TelemetryBench
{
    public static async Task Run(int points)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "phoenyra-telemetry-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        using var host = BenchHost.Build(dataDir);
        await host.StartAsync();
        var intake = host.Services.GetRequiredService<TelemetryIntake>();
        var random = new Random(5);
        var requests = Enumerable.Range(0, points).Select(i => new TelemetryRequest(40 + random.NextDouble() * 20, random.NextDouble() - 0.5, 25 + random.NextDouble() * 5, null, null)).ToArray();
        for (var i = 0; i < 10_000; i++) await intake.Submit(requests[i % requests.Length], "bench"); // warm-up
        var started = Stopwatch.GetTimestamp();
        foreach (var request in requests) await intake.Submit(request, "bench");
        var accepted = Stopwatch.GetElapsedTime(started);
        await host.Services.GetRequiredService<TelemetryStore>().Flush();
        var stored = Stopwatch.GetElapsedTime(started);
        Console.WriteLine($"{points:N0} readings: accepted at {points / accepted.TotalSeconds:N0}/s ({accepted.TotalMilliseconds:N0} ms); all in SQLite after {stored.TotalMilliseconds:N0} ms ({points / stored.TotalSeconds:N0}/s end to end)");
        await host.StopAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(dataDir, recursive: true);
    }
}
