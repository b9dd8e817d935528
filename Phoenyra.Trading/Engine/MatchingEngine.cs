using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.MarketData;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Positions;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// One market: checks an order's fields and risk, matches it against the book, and records what
/// happened (fills, position, prices, order life-cycle). Everything runs on the market's
/// <see cref="MarketLoop"/>; results are acknowledged after the journal commits them; readers use
/// <see cref="Snapshot"/> or <see cref="Query{T}"/>.
/// </summary>
internal sealed class MatchingEngine : IMatchListener
{
    private readonly MarketSpec _spec;
    private readonly RiskEngine _risk;
    private readonly IdSource _ids;
    private readonly TimeProvider _time;
    private readonly TradingMetrics _metrics;
    private readonly MarketLoop _loop;
    private readonly OrderBook _book = new();
    private readonly OrderLedger _ledger;
    private readonly MarketDataState _data;
    private readonly Position _position;
    private readonly AccountPositions _accounts;
    private readonly SimulatedMarketMaker _marketMaker;
    private readonly MarketQueries _queries;
    private volatile MarketSnapshot _snapshot;
    private readonly TradeJournal _journal;

    public MatchingEngine(MarketSpec spec, TradingEngineContext context)
    {
        _spec = spec;
        _risk = context.Risk;
        _ids = context.Ids;
        _time = context.Time;
        _metrics = context.Metrics;
        _loop = new MarketLoop(spec.Id, context.Logger);
        _journal = context.Journal;
        _ledger = new OrderLedger(spec, context.Journal, context.RecentLimit);
        _data = new MarketDataState(context.EmaAlpha, context.MarkTradeMaxAge);
        _position = context.Portfolio.For(spec.Id);
        _accounts = new AccountPositions(spec);
        _marketMaker = new SimulatedMarketMaker(spec, context.MarketMaker);
        _queries = new MarketQueries(spec, _book, _ledger, _data, _accounts, () => CurrentMark(_time.GetUtcNow()).Mark);
        _snapshot = BuildSnapshot(_time.GetUtcNow());
    }

    public MarketSpec Spec => _spec;
    public MarketSnapshot Snapshot => _snapshot;

    public Task Run(CancellationToken stop) => _loop.Run(stop);

    public void Stop() => _loop.Stop();

    /// <summary>On a standby: commands are refused and reference prices dropped; reads and the journal's records run.</summary>
    public void StandBy() => _loop.StandBy();

    /// <summary>Elected: commands are taken from now on.</summary>
    public void Lead() => _loop.Lead();

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

    public Task<OrderResult> Submit(SubmitOrder command) => _loop.Enqueue<OrderResult>(tcs => HandleSubmit(command, tcs));

    public Task<OrderResult> Cancel(CancelOrder command) => _loop.Enqueue<OrderResult>(tcs => HandleCancel(command, tcs));

    /// <summary>Runs <paramref name="read"/> on the loop, between commands, so it sees a consistent market.</summary>
    public Task<T> Query<T>(Func<MarketQueries, T> read) => _loop.Read<T>(tcs => tcs.SetResult(read(_queries)));

    /// <summary>A price source moved the reference: the simulated market maker re-quotes around it.</summary>
    public void SetReference(decimal price) => _loop.Post(() => HandleReference(price));

    private void HandleSubmit(SubmitOrder command, TaskCompletionSource<OrderResult> tcs)
    {
        _ledger.Begin(_time.GetUtcNow());
        if (_journal.Unavailable is { } why)
        {
            // Not even the refusal is journaled: nothing may queue behind a store that cannot write.
            tcs.SetResult(new(null, _spec.Id, OrderStatus.Rejected, RejectReason.StoreUnavailable, StoreMessage(why), command.Quantity, 0, null, []));
            return;
        }
        if (!_spec.TryLots(command.Quantity, out var lots) || lots <= 0)
        {
            tcs.SetResult(Rejected(command, RejectReason.InvalidQuantity, $"Quantity must be a positive multiple of {_spec.Lot} MW."));
            return;
        }
        long? price = null;
        if (command.Type == OrderType.Limit)
        {
            if (command.Price is not { } p || !_spec.TryTicks(p, out var ticks))
            {
                tcs.SetResult(Rejected(command, RejectReason.PriceOffTick, $"A limit price must be a multiple of {_spec.Tick} EUR/MWh."));
                return;
            }
            price = ticks;
        }

        var intent = new OrderIntent(command.Account, command.Side, command.Type, lots, price);
        var resting = new RestingOrders(_ledger.OpenLots(command.Side), _ledger.OpenOrders(command.Account));
        var (reason, message) = _risk.Check(_spec, intent, _position, CurrentMark(_ledger.Now).Mark, _ledger.Now, resting);
        if (reason == RejectReason.None && command.TimeInForce == TimeInForce.Fok
            && _book.Fillable(command.Side, price ?? OrderBook.NoPrice, command.Account, lots) < lots)
            (reason, message) = (RejectReason.FokNotFillable, "Fill-or-kill: the book cannot fill the whole quantity at this price now.");
        if (reason == RejectReason.None && command.PostOnly && WouldCross(command.Side, price!.Value))
            (reason, message) = (RejectReason.PostOnlyWouldCross, $"Post-only: {Codes.Of(command.Side).ToUpperInvariant()} at {_spec.Price(price.Value)} would trade against the best {(command.Side == OrderSide.Buy ? "offer" : "bid")} {Price(command.Side == OrderSide.Buy ? _book.BestAsk : _book.BestBid)}.");
        if (reason == RejectReason.None && command.ReduceOnly && !Reduces(command.Account, command.Side, lots))
            (reason, message) = (RejectReason.ReduceOnlyWouldIncrease, $"Reduce-only: {Codes.Of(command.Side).ToUpperInvariant()} {command.Quantity} MW would grow or flip {command.Account}'s {_spec.Id} position ({_spec.Quantity(_accounts.NetLots(command.Account))} MW).");
        if (reason == RejectReason.None && command.Type == OrderType.Market && _book.Fillable(command.Side, OrderBook.NoPrice, command.Account, lots) == 0)
            (reason, message) = (RejectReason.NoLiquidity, $"There is no {(command.Side == OrderSide.Buy ? "offer" : "bid")} to fill a market order.");
        if (reason != RejectReason.None)
        {
            _metrics.Denials.Add(1, new("market", _spec.Id), new("reason", Codes.Of(reason)));
            tcs.SetResult(Rejected(command, reason, message));
            return;
        }

        var order = _ledger.Accept(_ids.NextOrder(), command, price, lots);
        var taker = _book.Rent();
        taker.Set(order.Id, command.Account, command.Side, price ?? 0, lots);
        var selfTrade = _book.Match(taker, price ?? OrderBook.NoPrice, this);

        if (taker.Remaining == 0) _ledger.Close(order, OrderStatus.Filled, RejectReason.None);
        else if (selfTrade) _ledger.Close(order, OrderStatus.Cancelled, RejectReason.SelfTradePrevented);
        else if (command.Type == OrderType.Market || command.TimeInForce != TimeInForce.Gtc) _ledger.Close(order, OrderStatus.Expired, RejectReason.None);
        else
        {
            _book.Rest(taker);
            _ledger.Rested(order);
            taker = null;
        }
        if (taker is not null) _book.Return(taker);

        var result = new OrderResult(order.Id, _spec.Id, order.Status, order.Reason,
            order.Reason == RejectReason.SelfTradePrevented ? "The rest of the order would have traded against your own resting order and was cancelled." : null,
            _spec.Quantity(lots), _spec.Quantity(order.Filled), order.AveragePrice(_spec), _ledger.Fills.ToArray());
        _metrics.Orders.Add(1, new("market", _spec.Id), new("status", Codes.Of(order.Status)));
        Commit(tcs, result);
    }

    private void HandleCancel(CancelOrder command, TaskCompletionSource<OrderResult> tcs)
    {
        _ledger.Begin(_time.GetUtcNow());
        if (_journal.Unavailable is { } why)
        {
            tcs.SetResult(CancelRejected(command.OrderId, RejectReason.StoreUnavailable, StoreMessage(why)));
            return;
        }
        if (!_ledger.TryGetOpen(command.OrderId, out var order))
        {
            var closed = _ledger.FindClosed(command.OrderId);
            tcs.SetResult(closed is null
                ? CancelRejected(command.OrderId, RejectReason.UnknownOrder, $"No order {command.OrderId} in {_spec.Id}.")
                : CancelRejected(command.OrderId, RejectReason.AlreadyClosed, $"Order {command.OrderId} is already {Codes.Of(closed.Status)}.") with
                {
                    // What the order came to, so a client racing a fill knows its final quantity at once.
                    Quantity = closed.Quantity, FilledQuantity = closed.FilledQuantity,
                });
            return;
        }
        if (order.Account != command.Account && !command.Override)
        {
            tcs.SetResult(CancelRejected(command.OrderId, RejectReason.NotOwner, $"Order {command.OrderId} belongs to another key."));
            return;
        }
        if (_book.Remove(order.Id, out var resting)) _book.Return(resting);
        _ledger.Close(order, OrderStatus.Cancelled, RejectReason.None);
        Commit(tcs, new OrderResult(order.Id, _spec.Id, order.Status, RejectReason.None, null,
            _spec.Quantity(order.Quantity), _spec.Quantity(order.Filled), order.AveragePrice(_spec), []));
    }

    private void HandleReference(decimal reference)
    {
        _ledger.Begin(_time.GetUtcNow());
        _data.Reference = reference;
        _data.CountPriceEvent();
        _metrics.PriceEvents.Add(1, new KeyValuePair<string, object?>("market", _spec.Id));
        if (_marketMaker.Enabled) _marketMaker.Requote(reference, _book, this);
        _snapshot = BuildSnapshot(_ledger.Now);
        AddMarketEvents(_snapshot);
        _ledger.Commit();
    }

    private void Commit<T>(TaskCompletionSource<T> tcs, T result)
    {
        _snapshot = BuildSnapshot(_ledger.Now);
        if (_ledger.HasChanges) AddMarketEvents(_snapshot);
        _ledger.Commit(tcs, result);
    }

    /// <summary>The mark and position events of a command, from the snapshot it left (built once per command).</summary>
    private void AddMarketEvents(MarketSnapshot s)
    {
        _ledger.AddEvent(MarkEvent(s, _ledger.Now));
        if (_ledger.HasFills) _ledger.AddEvent(new PositionChanged(s.Position));
    }

    private MarkUpdated MarkEvent(MarketSnapshot s, DateTimeOffset time) =>
        new(_spec.Id, s.Mark, s.Ema, s.Vwap, s.BestBid, s.BestAsk, s.Reference, time, s.MarkSource, s.LastTrade, s.LastTradeTime);

    void IMatchListener.OnFill(BookOrder maker, BookOrder taker, long price, long quantity)
    {
        var sides = new BookOrderSides(maker.Id, taker.Id, maker.Account, taker.Account, taker.Side, maker.Ephemeral, taker.Ephemeral);
        var trade = _ledger.RecordFill(_ids.NextTrade(), sides, price, quantity);
        ApplyToMarket(maker.Account, taker.Account, maker.Side, taker.Side, price, quantity, trade);
        _metrics.Trades.Add(1, new KeyValuePair<string, object?>("market", _spec.Id));
        _metrics.PriceEvents.Add(1, new KeyValuePair<string, object?>("market", _spec.Id));
    }

    void IMatchListener.OnMakerFilled(BookOrder maker)
    {
        if (maker.Ephemeral) { _marketMaker.QuoteFilled(maker.Id); return; }
        if (_ledger.TryGetOpen(maker.Id, out var order)) _ledger.Close(order, OrderStatus.Filled, RejectReason.None);
    }

    /// <summary>The desk's position and the market's prices after a trade (live and replay).</summary>
    private void ApplyToMarket(string makerAccount, string takerAccount, OrderSide makerSide, OrderSide takerSide, long price, long quantity, Trade trade)
    {
        if (makerAccount != _marketMaker.Account)
        {
            _position.Apply(makerSide, quantity, price);
            _accounts.Apply(makerAccount, makerSide, quantity, price);
        }
        if (takerAccount != _marketMaker.Account)
        {
            _position.Apply(takerSide, quantity, price);
            _accounts.Apply(takerAccount, takerSide, quantity, price);
        }
        _data.OnTrade(trade.Price, trade.Quantity, trade.Time);
    }

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

    private (decimal? Mark, MarkSource Source) CurrentMark(DateTimeOffset now) => _data.Mark(Price(_book.BestBid), Price(_book.BestAsk), now);

    private decimal? Price(long ticks) => ticks == OrderBook.NoPrice ? null : _spec.Price(ticks);

    private bool Reduces(string account, OrderSide side, long lots)
    {
        // The account's open orders on the same side may fill first: together they must still only reduce.
        var net = _accounts.NetLots(account);
        return net != 0 && (side == OrderSide.Buy ? net < 0 : net > 0) && lots + _ledger.OpenLots(side, account) <= Math.Abs(net);
    }

    private bool WouldCross(OrderSide side, long priceTicks) => side == OrderSide.Buy
        ? _book.BestAsk != OrderBook.NoPrice && priceTicks >= _book.BestAsk
        : _book.BestBid != OrderBook.NoPrice && priceTicks <= _book.BestBid;

    private MarketSnapshot BuildSnapshot(DateTimeOffset now)
    {
        // The 15-minute VWAP ages with the clock, not only with trades.
        _data.Expire(now);
        var (mark, source) = CurrentMark(now);
        return new MarketSnapshot(_spec.Id, mark, _data.Ema, _data.Vwap, Price(_book.BestBid), Price(_book.BestAsk), _data.Reference,
            _data.LastTrade, _data.PriceEvents, _position.Revalue(mark), _book.RestingCount, now, source, _data.LastTradeTime);
    }

    private OrderResult Rejected(SubmitOrder command, RejectReason reason, string? message)
    {
        _ledger.Refused(command, reason, message);
        return new(null, _spec.Id, OrderStatus.Rejected, reason, message, command.Quantity, 0, null, []);
    }

    private static string StoreMessage(string why) =>
        $"The desk cannot write its journal ({why}); orders and cancels are refused until it can. Orders already acknowledged are safe.";

    private OrderResult CancelRejected(long id, RejectReason reason, string message) =>
        new(id, _spec.Id, OrderStatus.Rejected, reason, message, 0, 0, null, []);
}
