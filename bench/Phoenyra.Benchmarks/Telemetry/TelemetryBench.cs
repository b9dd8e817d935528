using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Bess;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core;
using Phoenyra.Ops;
using Phoenyra.Trading;

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
        var policy = Path.Combine(dataDir, "policy.yaml");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Phoenyra.sln"))) { File.Copy(Path.Combine(dir.FullName, "policy.yaml"), policy); break; }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = dataDir,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = policy,
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Trading:Markets:0:Id"] = "DE-ID-15",
            ["Phoenyra:Trading:Markets:1:Id"] = "DE-ID-60",
            ["Phoenyra:Trading:Markets:2:Id"] = "DE-BASE-FUT",
            ["Phoenyra:Bess:Sites:0:Id"] = "site-1",
            ["Phoenyra:Bess:Simulator:Enabled"] = "false",
        });
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddBessModule();
        using var host = builder.Build();
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
