using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Trading.Engine;

/// <summary>The engine rebuilt from the journal: replayed at start, captured for and restored from snapshots, or following the leader's journal on a standby.</summary>
internal sealed partial class MatchingEngine
{
    /// <summary>
    /// A standby's engine follows the leader: applies committed journal records on its running loop (so reads
    /// between them stay consistent) and hands the events they make — the trades, then the mark and position — to
    /// <paramref name="events"/>; the task completes once they are applied.
    /// </summary>
    public Task Follow(IReadOnlyList<JournalRecord> records, EngineEvents events) => _loop.Read<bool>(tcs =>
    {
        var made = new List<IEvent>();
        foreach (var record in records)
            if (Apply(record) is { } trade) made.Add(new TradeExecuted(trade));
        var s = _snapshot = BuildSnapshot(_time.GetUtcNow());
        made.Add(MarkEvent(s, s.Time));
        if (made.Count > 1) made.Add(new PositionChanged(s.Position));
        events.Post(made);
        tcs.SetResult(true);
    });

    /// <summary>
    /// Applies one journal record to a loop that has not started: rebuilds open orders in their
    /// queue order, closed orders, trades, position and prices exactly as they were committed.
    /// </summary>
    public void Replay(JournalRecord record) => Apply(record);

    /// <summary>One journal record into the market; the trade when it was a fill.</summary>
    private Trade? Apply(JournalRecord record)
    {
        switch (record)
        {
            case OrderAcceptedRecord a:
                _ledger.Restore(a);
                break;
            case FillRecord f:
                if (!f.MakerEphemeral && _book.TryGet(f.MakerId, out var maker)) _book.Reduce(maker, f.Quantity);
                var makerSide = f.TakerSide == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
                var trade = _ledger.ApplyFill(f.TradeId, f.MakerId, f.TakerId, f.MakerAccount, f.TakerAccount, f.TakerSide, f.Price, f.Quantity, f.Time);
                ApplyToMarket(f.MakerAccount, f.TakerAccount, makerSide, f.TakerSide, f.Price, f.Quantity, trade);
                return trade;
            case OrderRestedRecord r:
                if (_ledger.TryGetOpen(r.Id, out var resting))
                {
                    var order = _book.Rent();
                    order.Set(resting.Id, resting.Account, resting.Side, resting.Price ?? 0, resting.Quantity);
                    order.Remaining = resting.Remaining;
                    _book.Rest(order);
                }
                break;
            case OrderClosedRecord c:
                if (_book.Remove(c.Id, out var removed)) _book.Return(removed);
                _ledger.Restore(c);
                break;
        }
        return null;
    }

    /// <summary>What replay has built so far (for a snapshot); only before the loop runs, or on a replica that never runs one.</summary>
    public Snapshots.EngineState CaptureState()
    {
        var (open, closed, trades) = _ledger.Capture();
        return new(_spec.Id, open, Queue(_book.Bids), Queue(_book.Asks), closed, trades, _position.Capture(), _accounts.Capture(), _data.Capture());

        static List<long> Queue(BookSide side)
        {
            var ids = new List<long>();
            for (var depth = 0; depth < side.Count; depth++)
                for (var order = side.At(depth).Head; order is not null; order = order.Next)
                    if (!order.Ephemeral) ids.Add(order.Id);
            return ids;
        }
    }

    /// <summary>Before replay: starts from a snapshot instead of an empty market; the journal after it is replayed next.</summary>
    public void RestoreState(Snapshots.EngineState state)
    {
        _ledger.Restore(state);
        foreach (var id in state.BidQueue.Concat(state.AskQueue))
            if (_ledger.TryGetOpen(id, out var open))
            {
                var order = _book.Rent();
                order.Set(open.Id, open.Account, open.Side, open.Price ?? 0, open.Quantity);
                order.Remaining = open.Remaining;
                _book.Rest(order);
            }
        _position.Restore(state.Position);
        _accounts.Restore(state.Accounts);
        _data.Restore(state.Prices);
    }

    /// <summary>After replay: the snapshot reflects the rebuilt market.</summary>
    public void FinishReplay() => _snapshot = BuildSnapshot(_time.GetUtcNow());
}
