using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// A market's orders through their life (accepted → rested → filled, cancelled or expired), the
/// trade tape, and what the command being processed changed: its journal records, events and the
/// taker's fills. <see cref="Commit{T}"/> hands them to the journal and acknowledges once durable.
/// Runs on the market's loop.
/// </summary>
internal sealed class OrderLedger(MarketSpec spec, TradeJournal journal, int recentLimit)
{
    private readonly Dictionary<long, OrderState> _open = new();
    private readonly RecentList<OrderView> _closed = new(recentLimit);
    private readonly RecentList<Trade> _trades = new(recentLimit);
    private readonly List<JournalRecord> _records = [];
    private readonly List<IEvent> _events = [];
    private readonly List<Fill> _fills = [];

    /// <summary>The time of the command being processed.</summary>
    public DateTimeOffset Now { get; private set; }

    public bool HasChanges => _fills.Count > 0 || _records.Count > 0;
    public bool HasFills => _fills.Count > 0;
    public IReadOnlyList<Fill> Fills => _fills;
    /// <summary>Open orders, oldest first (by id, so a restart from a snapshot lists them as a full replay does).</summary>
    public IEnumerable<OrderView> Open => _open.Values.OrderBy(o => o.Id).Select(o => o.View(spec));
    public IEnumerable<OrderView> Closed => _closed;
    public IEnumerable<Trade> Trades => _trades;

    public void Begin(DateTimeOffset now)
    {
        _records.Clear();
        _events.Clear();
        _fills.Clear();
        Now = now;
    }

    public bool TryGetOpen(long id, out OrderState order) => _open.TryGetValue(id, out order!);

    // What open orders could still add, kept as they open, fill and close (the risk checks read it per order).
    private long _openBuyLots, _openSellLots;
    private readonly Dictionary<string, (int Orders, long BuyLots, long SellLots)> _openByAccount = new(StringComparer.Ordinal);

    /// <summary>Lots that open orders on <paramref name="side"/> could still trade: all accounts, or one.</summary>
    public long OpenLots(OrderSide side, string? account = null) => account is null
        ? side == OrderSide.Buy ? _openBuyLots : _openSellLots
        : _openByAccount.TryGetValue(account, out var a) ? side == OrderSide.Buy ? a.BuyLots : a.SellLots : 0;

    public int OpenOrders(string account) => _openByAccount.TryGetValue(account, out var a) ? a.Orders : 0;

    private void Track(OrderState order, int orders, long lots)
    {
        if (order.Side == OrderSide.Buy) _openBuyLots += lots;
        else _openSellLots += lots;
        var a = _openByAccount.GetValueOrDefault(order.Account);
        a = (a.Orders + orders, a.BuyLots + (order.Side == OrderSide.Buy ? lots : 0), a.SellLots + (order.Side == OrderSide.Sell ? lots : 0));
        if (a.Orders == 0) _openByAccount.Remove(order.Account);
        else _openByAccount[order.Account] = a;
    }

    private void Opened(OrderState order)
    {
        _open[order.Id] = order;
        Track(order, 1, order.Remaining);
    }

    private bool Removed(long id, out OrderState order)
    {
        if (!_open.Remove(id, out order!)) return false;
        Track(order, -1, -order.Remaining);
        return true;
    }

    public OrderView? FindClosed(long id) => _closed.FirstOrDefault(o => o.Id == id);

    public OrderState Accept(long id, SubmitOrder command, long? price, long lots)
    {
        var order = new OrderState(id, command.Account, command.Side, command.Type, command.TimeInForce, price, lots, command.ClientOrderId, Now);
        _records.Add(new OrderAcceptedRecord(spec.Id, Now, id, order.Account, order.Side, order.Type, order.TimeInForce, price, lots, order.ClientOrderId));
        Opened(order);
        return order;
    }

    /// <summary>
    /// An order refused before acceptance: nothing to journal, but its refusal is published through
    /// the journal's writer (in order with everything else) for the order history.
    /// </summary>
    public void Refused(SubmitOrder command, RejectReason reason, string? message) =>
        journal.Write([], [new OrderRejected(spec.Id, command.Account, command.Side, command.Type, command.TimeInForce,
            command.Quantity, command.Price, reason, message, command.ClientOrderId, Now)]);

    public void Rested(OrderState order)
    {
        _records.Add(new OrderRestedRecord(spec.Id, Now, order.Id));
        _events.Add(new OrderUpdated(order.View(spec)));
    }

    public void Close(OrderState order, OrderStatus status, RejectReason reason)
    {
        order.Close(status, reason, Now);
        Removed(order.Id, out _);
        var view = order.View(spec);
        _closed.Add(view);
        _records.Add(new OrderClosedRecord(spec.Id, Now, order.Id, status, reason));
        _events.Add(new OrderUpdated(view));
    }

    /// <summary>A trade made now: journaled, on the tape, and reported to both orders' owners.</summary>
    public Trade RecordFill(long tradeId, BookOrderSides orders, long price, long quantity)
    {
        _records.Add(new FillRecord(spec.Id, Now, tradeId, orders.MakerId, orders.TakerId, orders.MakerAccount, orders.TakerAccount,
            orders.TakerSide, price, quantity, orders.MakerEphemeral, orders.TakerEphemeral));
        var trade = ApplyFill(tradeId, orders.MakerId, orders.TakerId, orders.MakerAccount, orders.TakerAccount, orders.TakerSide, price, quantity, Now);
        if (!orders.TakerEphemeral) _fills.Add(new Fill(tradeId, trade.Price, trade.Quantity, Now, Maker: false));
        if (!orders.MakerEphemeral && _open.TryGetValue(orders.MakerId, out var maker) && maker.Status.IsOpen())
            _events.Add(new OrderUpdated(maker.View(spec)));
        _events.Add(new TradeExecuted(trade));
        return trade;
    }

    /// <summary>Order states and the tape for one fill (live and replay).</summary>
    public Trade ApplyFill(long tradeId, long makerId, long takerId, string makerAccount, string takerAccount, OrderSide takerSide, long price, long quantity, DateTimeOffset time)
    {
        if (_open.TryGetValue(makerId, out var maker)) Fill(maker);
        if (_open.TryGetValue(takerId, out var taker)) Fill(taker);
        var trade = new Trade(tradeId, spec.Id, spec.Price(price), spec.Quantity(quantity), takerSide, makerId, takerId, makerAccount, takerAccount, time);
        _trades.Add(trade);
        return trade;

        void Fill(OrderState order)
        {
            Track(order, 0, -quantity);
            order.AddFill(quantity, price, time);
        }
    }

    public void AddEvent(IEvent @event) => _events.Add(@event);

    /// <summary>Journals what this command did and acknowledges once it is durable.</summary>
    public void Commit<T>(TaskCompletionSource<T> tcs, T result) =>
        journal.Write(_records.ToArray(), _events.ToArray(), error =>
        {
            if (error is null) tcs.TrySetResult(result);
            else tcs.TrySetException(error);
        });

    /// <summary>Journals what this command did; nobody waits for it (a re-quote).</summary>
    public void Commit() => journal.Write(_records.ToArray(), _events.ToArray());

    public (List<Snapshots.OrderStateData> Open, List<OrderView> Closed, List<Trade> Trades) Capture() =>
        (_open.Values.OrderBy(o => o.Id).Select(o => o.Capture()).ToList(), _closed.ToList(), _trades.ToList());

    /// <summary>Before replay: the orders and tape of a snapshot.</summary>
    public void Restore(Snapshots.EngineState state)
    {
        foreach (var order in state.Open) Opened(OrderState.Restore(order));
        foreach (var view in state.Closed) _closed.Add(view);
        foreach (var trade in state.Trades) _trades.Add(trade);
    }

    /// <summary>Replay: an accepted order exactly as it was committed.</summary>
    public void Restore(OrderAcceptedRecord a) =>
        Opened(new OrderState(a.Id, a.Account, a.Side, a.Type, a.TimeInForce, a.Price, a.Quantity, a.ClientOrderId, a.Time));

    /// <summary>Replay: an order ended.</summary>
    public void Restore(OrderClosedRecord c)
    {
        if (!Removed(c.Id, out var closed)) return;
        closed.Close(c.Status, c.Reason, c.Time);
        _closed.Add(closed.View(spec));
    }
}

/// <summary>Who was on each side of a fill.</summary>
internal readonly record struct BookOrderSides(
    long MakerId, long TakerId, string MakerAccount, string TakerAccount, OrderSide TakerSide, bool MakerEphemeral, bool TakerEphemeral);
