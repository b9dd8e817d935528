using Phoenyra.Core.Contracts;

namespace Phoenyra.Benchmarks.Book;

internal enum OpKind : byte { Place, Cancel, Cross }

internal readonly record struct BookOp(OpKind Kind, long Id, OrderSide Side, long Price, long Quantity, string Account);

/// <summary>
/// An exchange-core-like command stream, generated up front so both books replay identical work:
/// mostly passive places, cancels and moves (cancel + re-place), about 10 % crossing orders.
/// </summary>
internal static class BookWorkload
{
    public static BookOp[] Generate(int count, int seed = 42)
    {
        var random = new Random(seed);
        var ops = new List<BookOp>(count + count / 5);
        var live = new List<(long Id, OrderSide Side)>();
        var accounts = Enumerable.Range(0, 64).Select(i => $"acct-{i}").ToArray();
        const long mid = 10_000;
        const int TargetDepth = 2000;
        long nextId = 1;

        // Seed depth: 1,000 orders a side within 50 ticks of the mid.
        for (var i = 0; i < 2000; i++)
        {
            var side = i % 2 == 0 ? OrderSide.Buy : OrderSide.Sell;
            var id = nextId++;
            ops.Add(new BookOp(OpKind.Place, id, side, Passive(side), random.Next(1, 50), accounts[random.Next(accounts.Length)]));
            live.Add((id, side));
        }
        while (ops.Count < count)
        {
            var roll = random.Next(100);
            if (roll < 16)
            {
                var side = random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell;
                var limit = side == OrderSide.Buy ? mid + random.Next(0, 4) : mid - random.Next(0, 4);
                ops.Add(new BookOp(OpKind.Cross, nextId++, side, limit, random.Next(1, 120), accounts[random.Next(accounts.Length)]));
            }
            // Like exchange-core's generator, hold the book near a target depth: above it, places become cancels.
            else if ((roll < 46 || live.Count > TargetDepth) && live.Count > 0)
            {
                var index = random.Next(live.Count);
                var (id, side) = live[index];
                live[index] = live[^1];
                live.RemoveAt(live.Count - 1);
                ops.Add(new BookOp(OpKind.Cancel, id, side, 0, 0, ""));
                if (roll < 31 || roll >= 46)
                {
                    // A move: the same intent at a new price (exchange-core's move command).
                    var moved = nextId++;
                    ops.Add(new BookOp(OpKind.Place, moved, side, Passive(side), random.Next(1, 50), accounts[random.Next(accounts.Length)]));
                    live.Add((moved, side));
                }
            }
            else
            {
                var side = random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell;
                var id = nextId++;
                ops.Add(new BookOp(OpKind.Place, id, side, Passive(side), random.Next(1, 50), accounts[random.Next(accounts.Length)]));
                live.Add((id, side));
            }
        }
        return ops.Take(count).ToArray();

        long Passive(OrderSide side) => side == OrderSide.Buy ? mid - 1 - random.Next(0, 50) : mid + 1 + random.Next(0, 50);
    }
}
