using System.Diagnostics;
using System.Net;
using System.Text;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Load;

/// <summary>
/// <c>load --url URL --key KEY [--rate 20000] [--seconds 20] [--connections 64]</c>: an open-loop
/// load generator. Orders are scheduled at a constant rate and each latency is measured from its
/// scheduled time, so a stalled server is charged for the queue it causes (no coordinated omission).
/// </summary>
internal static class LoadGenerator
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var url = options.Url;
        var key = options.Key;
        var rate = int.Parse(options.Get("--rate", "20000"));
        var seconds = int.Parse(options.Get("--seconds", "20"));
        var connections = int.Parse(options.Get("--connections", "64"));
        var market = options.Get("--market", "DE-ID-60");

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        var bodies = Enumerable.Range(0, 8).Select(i => Body(market, i)).ToArray();

        var total = rate * seconds;
        var latencies = new long[total];
        var statuses = new int[total];
        var inflight = new SemaphoreSlim(connections * 4);
        var tasks = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / (double)rate;
        Console.WriteLine($"Sending {total:N0} orders to {url} at {rate:N0}/s over {connections} connections…");
        for (var i = 0; i < total; i++)
        {
            var scheduled = start + (long)(i * interval);
            var wait = scheduled - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            else if (wait > 0) Thread.SpinWait(20);
            var index = i;
            await inflight.WaitAsync();
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var content = new ByteArrayContent(bodies[index % bodies.Length]);
                    content.Headers.ContentType = new("application/json");
                    using var response = await http.PostAsync("/api/orders", content);
                    statuses[index] = (int)response.StatusCode;
                }
                catch (HttpRequestException) { statuses[index] = -1; }
                finally
                {
                    latencies[index] = Stopwatch.GetTimestamp() - scheduled;
                    inflight.Release();
                }
            }));
        }
        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Report(latencies, statuses, elapsed, rate);
    }

    // Alternating sides keep the desk near flat; half cross the simulated maker (fills), half expire.
    private static byte[] Body(string market, int i)
    {
        var side = i % 2 == 0 ? "buy" : "sell";
        var price = (i / 2 % 2 == 0) ? (side == "buy" ? "200.00" : "1.00") : (side == "buy" ? "1.00" : "200.00");
        return Encoding.UTF8.GetBytes($$"""{"market":"{{market}}","side":"{{side}}","quantity":0.1,"price":{{price}},"type":"limit","tif":"ioc"}""");
    }

    private static void Report(long[] latencies, int[] statuses, double elapsed, int rate)
    {
        var sorted = (long[])latencies.Clone();
        Array.Sort(sorted);
        double Ms(double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
        var byStatus = statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{(g.Key == -1 ? "error" : g.Key.ToString())}: {g.Count():N0}");
        var table = new TextTable("target/s", "achieved/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "statuses");
        table.Add(rate.ToString("N0"), (statuses.Length / elapsed).ToString("N0"), Ms(0.5).ToString("F2"), Ms(0.9).ToString("F2"), Ms(0.99).ToString("F2"),
            Ms(0.999).ToString("F2"), (sorted[^1] * 1000.0 / Stopwatch.Frequency).ToString("F1"), string.Join(", ", byStatus));
        Console.Write(table);
    }
}
