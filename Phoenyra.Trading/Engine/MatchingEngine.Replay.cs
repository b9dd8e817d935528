using Phoenyra.Trading.Journal;

namespace Phoenyra.Trading.Engine;

internal sealed partial class MatchingEngine
{
    /// <summary>
    /// Applies one journal record to a loop that has not started: rebuilds open orders in their
    /// queue order, closed orders, trades, position and prices exactly as they were committed.
    /// </summary>
    public void Replay(JournalRecord record)
    {
        switch (record)
        {
            case OrderAcceptedRecord a:
                _open[a.Id] = new OrderState(a.Id, a.Account, a.Side, a.Type, a.TimeInForce, a.Price, a.Quantity, a.ClientOrderId, a.Time);
                break;
            case FillRecord f:
                if (!f.MakerEphemeral && _book.TryGet(f.MakerId, out var maker)) _book.Reduce(maker, f.Quantity);
                var makerSide = f.TakerSide == Core.Contracts.OrderSide.Buy ? Core.Contracts.OrderSide.Sell : Core.Contracts.OrderSide.Buy;
                ApplyFill(f.TradeId, f.MakerId, f.TakerId, f.MakerAccount, f.TakerAccount, makerSide, f.TakerSide, f.Price, f.Quantity, f.Time);
                break;
            case OrderRestedRecord r:
                if (_open.TryGetValue(r.Id, out var resting))
                {
                    var order = _book.Rent();
                    order.Set(resting.Id, resting.Account, resting.Side, resting.Price ?? 0, resting.Quantity);
                    order.Remaining = resting.Remaining;
                    _book.Rest(order);
                }
                break;
            case OrderClosedRecord c:
                if (_book.Remove(c.Id, out var removed)) _book.Return(removed);
                if (_open.Remove(c.Id, out var closed))
                {
                    closed.Close(c.Status, c.Reason, c.Time);
                    _closed.Add(closed.View(_spec));
                }
                break;
        }
    }

    /// <summary>After replay: the snapshot reflects the rebuilt market.</summary>
    public void FinishReplay()
    {
        _snapshot = BuildSnapshot(_time.GetUtcNow());
    }
}
