using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Phoenyra.Core.Cli;

namespace Phoenyra.Benchmarks.Load;

/// <summary>
/// <c>orderentry [--desk BIN] [--seconds 20] [--window 2000] [--batch 100] [--pairs 1]</c>: the
/// fill-heavy mix on the order-entry WebSocket. Per pair, one connection (seller key) sends resting
/// GTC sells and one (buyer key) crossing IOC buys at the same price, pipelined: up to WINDOW orders
/// in flight per connection, BATCH orders per message. Latency is send to answer (after the journal's
/// fsync'd commit), per order.
/// </summary>
internal static class OrderEntryBench
{
    public static async Task Run(string[] args)
    {
        var options = new BenchArgs(args);
        var seconds = int.Parse(options.Get("--seconds", "20"), CultureInfo.InvariantCulture);
        var window = int.Parse(options.Get("--window", "2000"), CultureInfo.InvariantCulture);
        var batch = int.Parse(options.Get("--batch", "100"), CultureInfo.InvariantCulture);
        var pairs = int.Parse(options.Get("--pairs", "1"), CultureInfo.InvariantCulture);
        await using var desk = await BenchDesk.Start(options.Get("--desk", BenchDesk.DefaultBinary));

        var table = new TextTable("phase", "orders/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "not ack'd", "server CPU µs/order", "server cores", "client cores");
        foreach (var (phase, length) in new[] { ("warm-up", 10), ("measured", seconds) })
        {
            var clients = Enumerable.Range(0, pairs).SelectMany(_ => new[] { new Client(BenchDesk.SellerKey, "sell", "gtc"), new Client(BenchDesk.BuyerKey, "buy", "ioc") }).ToList();
            foreach (var client in clients) await client.Connect();
            var cpu0 = desk.CpuSeconds();
            var client0 = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(length));
            await Task.WhenAll(clients.Select(c => c.Run(window, batch, stop.Token)));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpu = desk.CpuSeconds() - cpu0;
            var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - client0).TotalSeconds;
            var latencies = clients.SelectMany(c => c.Latencies).ToArray();
            Array.Sort(latencies);
            var answered = latencies.Length;
            string Ms(double q) => answered == 0 ? "-" : (latencies[Math.Min(answered - 1, (int)(q * answered))] * 1000.0 / Stopwatch.Frequency).ToString("F2", CultureInfo.InvariantCulture);
            table.Add(phase, (answered / elapsed).ToString("N0", CultureInfo.InvariantCulture), Ms(0.5), Ms(0.9), Ms(0.99), Ms(0.999),
                clients.Sum(c => c.Unanswered).ToString("N0", CultureInfo.InvariantCulture), (cpu * 1e6 / Math.Max(1, answered)).ToString("F0", CultureInfo.InvariantCulture),
                (cpu / elapsed).ToString("F2", CultureInfo.InvariantCulture), (clientCpu / elapsed).ToString("F2", CultureInfo.InvariantCulture));
            Console.WriteLine($"{phase}: {answered / elapsed:N0} orders/s");
            foreach (var client in clients) client.Dispose();
        }
        Console.Write(table);
    }

    /// <summary>One order-entry connection sending one side of the mix, pipelined.</summary>
    internal sealed class Client(string key, string side, string tif, int port = BenchDesk.Port) : IDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly List<long> _latencies = new(1 << 20);
        private readonly Dictionary<long, long> _sent = [];
        private readonly SemaphoreSlim _room = new(0);
        private long _next;

        public IEnumerable<long> Latencies => _latencies;
        public long Unanswered => _sent.Count;

        public async Task Connect()
        {
            _socket.Options.SetRequestHeader("X-API-Key", key);
            await _socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ws/order-entry"), CancellationToken.None);
        }

        /// <summary>Sends until <paramref name="stop"/>; at most <paramref name="perSecond"/> orders a second when given.</summary>
        public async Task Run(int window, int batch, CancellationToken stop, double? perSecond = null)
        {
            var receive = Receive();
            var inFlight = 0;
            var message = new StringBuilder();
            var started = Stopwatch.GetTimestamp();
            while (!stop.IsCancellationRequested)
            {
                while (inFlight + batch > window) { await _room.WaitAsync(); lock (_sent) inFlight = _sent.Count; }
                if (perSecond is { } rate && _next / rate > Stopwatch.GetElapsedTime(started).TotalSeconds)
                {
                    await Task.Delay(1, CancellationToken.None);
                    continue;
                }
                message.Clear().Append('[');
                var now = Stopwatch.GetTimestamp();
                lock (_sent)
                    for (var i = 0; i < batch; i++)
                    {
                        var id = _next++;
                        _sent[id] = now;
                        if (i > 0) message.Append(',');
                        message.Append(CultureInfo.InvariantCulture, $$"""{"ref":"{{id}}","market":"DE-ID-60","side":"{{side}}","quantity":0.1,"price":100,"tif":"{{tif}}"}""");
                    }
                message.Append(']');
                inFlight += batch;
                await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToString()), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            // Let the last answers in, then close.
            for (var i = 0; i < 100 && Unanswered > 0; i++) await Task.Delay(50);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            await receive;
        }

        private async Task Receive()
        {
            var buffer = new byte[4 << 20];
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
                    length += result.Count;
                } while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var now = Stopwatch.GetTimestamp();
                var answered = 0;
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
                lock (_sent)
                    while (reader.Read())
                        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("ref"u8) && reader.Read()
                            && reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), CultureInfo.InvariantCulture, out var id)
                            && _sent.Remove(id, out var sent))
                        {
                            _latencies.Add(now - sent);
                            answered++;
                        }
                if (answered > 0) _room.Release();
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
