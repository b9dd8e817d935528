using System.Diagnostics;
using Phoenyra.Core.Cli;
using Phoenyra.Trading.Book;

namespace Phoenyra.Benchmarks.Book;

/// <summary>
/// <c>book [ops]</c>: replays one exchange-core-like stream through the Phoenyra book and the naive
/// SortedDictionary book on one thread. The first half warms pools and JIT; the second half is
/// measured twice: once untimed per op (throughput), once with a timestamp per op (latency).
/// </summary>
internal static class BookBench
{
    private sealed class CountingListener : IMatchListener
    {
        public long Fills;
        public void OnFill(BookOrder maker, BookOrder taker, long price, long quantity) => Fills++;
        public void OnMakerFilled(BookOrder maker) { }
    }

    public static void Run(int count)
    {
        Console.WriteLine($"Generating {count:N0} operations…");
        var ops = BookWorkload.Generate(count);
        var half = ops.Length / 2;
        var table = new TextTable("book", "ops/s", "p50 ns", "p99 ns", "p99.9 ns", "max ns", "gen0 GCs", "alloc B/op", "fills");
        var phoenyra = Measure("Phoenyra OrderBook", ops, half, () => new PhoenyraRunner(), table);
        var naive = Measure("naive SortedDictionary", ops, half, () => new NaiveRunner(), table);
        Console.WriteLine();
        Console.Write(table);
        Console.WriteLine($"\nThroughput ratio (Phoenyra / naive): {phoenyra / naive:F2}x");
        var mix = ops.Skip(half).GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count() * 100.0 / (ops.Length - half));
        Console.WriteLine($"Measured mix: place {mix.GetValueOrDefault(OpKind.Place):F1} %, cancel {mix.GetValueOrDefault(OpKind.Cancel):F1} %, crossing {mix.GetValueOrDefault(OpKind.Cross):F1} %");
    }

    private interface IRunner
    {
        void Apply(in BookOp op);
        long Fills { get; }
    }

    private sealed class PhoenyraRunner : IRunner
    {
        private readonly OrderBook _book = new();
        private readonly CountingListener _listener = new();
        public long Fills => _listener.Fills;

        public void Apply(in BookOp op)
        {
            switch (op.Kind)
            {
                case OpKind.Cancel:
                    if (_book.Remove(op.Id, out var removed)) _book.Return(removed);
                    break;
                default:
                    var order = _book.Rent();
                    order.Set(op.Id, op.Account, op.Side, op.Price, op.Quantity);
                    _book.Match(order, op.Price, _listener);
                    if (order.Remaining > 0 && op.Kind == OpKind.Place) _book.Rest(order);
                    else _book.Return(order);
                    break;
            }
        }
    }

    private sealed class NaiveRunner : IRunner
    {
        private readonly NaiveBook _book = new();
        public long Fills => _book.Fills;

        public void Apply(in BookOp op)
        {
            switch (op.Kind)
            {
                case OpKind.Cancel: _book.Cancel(op.Id); break;
                case OpKind.Place: _book.Place(op.Id, op.Account, op.Side, op.Price, op.Quantity); break;
                default: _book.Cross(op.Id, op.Account, op.Side, op.Price, op.Quantity); break;
            }
        }
    }

    private static double Measure(string name, BookOp[] ops, int half, Func<IRunner> create, TextTable table)
    {
        // Throughput: warm half, then the measured half without per-op timing.
        var runner = create();
        for (var i = 0; i < half; i++) runner.Apply(ops[i]);
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = half; i < ops.Length; i++) runner.Apply(ops[i]);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var opsPerSecond = (ops.Length - half) / elapsed.TotalSeconds;
        var gcs = GC.CollectionCount(0) - gen0;
        var bytesPerOp = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)(ops.Length - half);

        // Latency: the same work on a fresh, warmed book, a timestamp around each operation.
        var timed = create();
        for (var i = 0; i < half; i++) timed.Apply(ops[i]);
        var latencies = new long[ops.Length - half];
        for (var i = half; i < ops.Length; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            timed.Apply(ops[i]);
            latencies[i - half] = Stopwatch.GetTimestamp() - t0;
        }
        Array.Sort(latencies);
        double Ns(double q) => latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))] * 1e9 / Stopwatch.Frequency;
        table.Add(name, opsPerSecond.ToString("N0"), Ns(0.50).ToString("N0"), Ns(0.99).ToString("N0"), Ns(0.999).ToString("N0"),
            (latencies[^1] * 1e9 / Stopwatch.Frequency).ToString("N0"), gcs, bytesPerOp.ToString("F1"), runner.Fills.ToString("N0"));
        Console.WriteLine($"{name}: {opsPerSecond:N0} ops/s");
        return opsPerSecond;
    }
}
