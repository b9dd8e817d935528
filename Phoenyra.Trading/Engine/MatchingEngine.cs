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
/// <see cref="Snapshot"/> or <see cref="Query{T}"/>. Rebuilding from the journal (replay, snapshots, a standby
/// following the leader) is in MatchingEngine.Journal.cs.
/// </summary>
internal sealed partial class MatchingEngine : IMatchListener
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
