using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Live;

/// <summary>
/// <c>fanout --url URL --key KEY [--clients 100] [--seconds 20] [--rate 200]</c>: opens N
/// <c>/ws/market</c> clients on a running desk, makes trades at the given rate, and reports the
/// signed messages delivered per second and the publish-to-receive latency (meta.ts to arrival).
/// </summary>
internal static class FanoutBench
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var url = options.Url;
        var key = options.Key;
        var clients = int.Parse(options.Get("--clients", "100"));
        var seconds = int.Parse(options.Get("--seconds", "20"));
        var rate = double.Parse(options.Get("--rate", "200"));

        var wsUrl = new Uri($"ws://{url.Authority}/ws/market?api_key={Uri.EscapeDataString(key)}");
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < clients; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(wsUrl, CancellationToken.None);
            sockets.Add(socket);
        }
        Console.WriteLine($"{clients} clients on {wsUrl.GetLeftPart(UriPartial.Path)}; trading at {rate}/s for {seconds} s…");

        var counts = new long[clients];
        var latencies = new List<double>[clients];
        var measuring = 0;
        using var stop = new CancellationTokenSource();
        var readers = sockets.Select((s, i) => Read(s, i)).ToArray();
        async Task Read(ClientWebSocket socket, int index)
        {
            latencies[index] = new List<double>(100_000);
            var buffer = new byte[64 * 1024];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    var result = await socket.ReceiveAsync(buffer, stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close) return;
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    if (Volatile.Read(ref measuring) == 0) continue;
                    counts[index]++;
                    if (TsOf(buffer.AsSpan(0, result.Count)) is { } ts) latencies[index].Add(now - ts);
                }
            }
            catch (OperationCanceledException) { }
            catch (WebSocketException) { }
        }

        var driver = new TradeDriver(url, key, options.Get("--market", "DE-ID-60"));
        var warmup = driver.Run(rate, TimeSpan.FromSeconds(seconds + 2));
        await Task.Delay(2000);
        Interlocked.Exchange(ref measuring, 1);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Interlocked.Exchange(ref measuring, 0);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await warmup;
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var dropped = sockets.Count(s => s.CloseStatus == WebSocketCloseStatus.PolicyViolation);
        foreach (var socket in sockets) socket.Abort();

        var all = latencies.SelectMany(l => l).Order().ToList();
        var delivered = counts.Sum();
        Console.WriteLine(new TextTable("Measure", "Value")
            .Add("clients", clients.ToString())
            .Add("orders sent / failed", $"{driver.Sent:N0} / {driver.Failed:N0}")
            .Add("messages delivered", delivered.ToString("N0"))
            .Add("messages/s (all clients)", (delivered / elapsed).ToString("N0"))
            .Add("messages/s per client", (delivered / elapsed / clients).ToString("N1"))
            .Add("latency p50 / p95 / p99 ms", $"{Percentiles.Of(all, 50):0} / {Percentiles.Of(all, 95):0} / {Percentiles.Of(all, 99):0}")
            .Add("clients dropped as slow", dropped.ToString()));
    }

    /// <summary>meta.ts of a frame, which starts <c>{"meta":{"ts":</c>.</summary>
    private static long? TsOf(ReadOnlySpan<byte> frame)
    {
        var prefix = "{\"meta\":{\"ts\":"u8;
        if (!frame.StartsWith(prefix)) return null;
        long ts = 0;
        foreach (var b in frame[prefix.Length..])
        {
            if (b is < (byte)'0' or > (byte)'9') break;
            ts = ts * 10 + (b - '0');
        }
        return ts;
    }
}
