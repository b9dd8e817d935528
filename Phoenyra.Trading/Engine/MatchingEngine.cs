using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.MarketData;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Portfolio;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// One market's single writer: a loop that takes commands from its inbox one at a time and owns
/// the book, risk buckets, position and market data. Results are acknowledged after the
/// journal commits them; readers use <see cref="Snapshot"/> or <see cref="Query{T}"/>.
/// </summary>
internal sealed partial class MatchingEngine : IMatchListener
{
    private readonly MarketSpec _spec;
    private readonly TradeJournal _journal;
    private readonly PolicyHolder _policy;
    private readonly GuardSet _guards;
    private readonly IdSource _ids;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OrderBook _book = new();
    private readonly RiskCheck _risk;
    private readonly MarketDataState _data;
    private readonly Position _position;
    private readonly Dictionary<long, OrderState> _open = new();
    private readonly RecentList<OrderView> _closed;
    private readonly RecentList<Trade> _trades;
    private readonly Channel<Action> _inbox = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private volatile MarketSnapshot _snapshot;

    // Scratch for the command being processed; the loop is single-threaded.
    private readonly List<JournalRecord> _records = [];
    private readonly List<IEvent> _events = [];
    private readonly List<Fill> _fills = [];
    private DateTimeOffset _now;

    public MatchingEngine(MarketSpec spec, TradingEngineContext context)
    {
        _spec = spec;
        _journal = context.Journal;
        _policy = context.Policy;
        _guards = context.Guards;
        _ids = context.Ids;
        _time = context.Time;
        _logger = context.Logger;
        _mm = context.MarketMaker;
        _risk = new RiskCheck(spec);
        _data = new MarketDataState(context.EmaAlpha);
        _position = new Position(spec);
        _closed = new RecentList<OrderView>(context.RecentLimit);
        _trades = new RecentList<Trade>(context.RecentLimit);
        _snapshot = BuildSnapshot(_time.GetUtcNow());
    }

    public MarketSpec Spec => _spec;
    public MarketSnapshot Snapshot => _snapshot;

    public Task Run(CancellationToken stop) => Task.Factory.StartNew(async () =>
    {
        var reader = _inbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stop).ConfigureAwait(false))
                while (reader.TryRead(out var work))
                {
                    try { work(); }
                    catch (Exception ex) { _logger.LogError(ex, "{Market} engine command failed", _spec.Id); }
                }
        }
        catch (OperationCanceledException) { }
    }, stop, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    public Task<OrderResult> Submit(SubmitOrder command) => Enqueue<OrderResult>(tcs => HandleSubmit(command, tcs));

    public Task<OrderResult> Cancel(CancelOrder command) => Enqueue<OrderResult>(tcs => HandleCancel(command, tcs));

    /// <summary>Runs <paramref name="read"/> on the loop, between commands, so it sees a consistent market.</summary>
    public Task<T> Query<T>(Func<MatchingEngine, T> read) => Enqueue<T>(tcs => tcs.SetResult(read(this)));

    private Task<T> Enqueue<T>(Action<TaskCompletionSource<T>> work)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite(() =>
            {
                try { work(tcs); }
                catch (Exception ex) { tcs.TrySetException(ex); }
            }))
            tcs.SetException(new InvalidOperationException($"The {_spec.Id} engine is stopped."));
        return tcs.Task;
    }

    public void Stop() => _inbox.Writer.TryComplete();

    private void Begin()
    {
        _records.Clear();
        _events.Clear();
        _fills.Clear();
        _now = _time.GetUtcNow();
    }

    private void HandleSubmit(SubmitOrder command, TaskCompletionSource<OrderResult> tcs)
    {
        Begin();
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
        var (reason, message) = _risk.Evaluate(intent, _policy.Current, _guards.State, _position, CurrentMark(), _now);
        if (reason == RejectReason.None && command.TimeInForce == TimeInForce.Fok
            && _book.Fillable(command.Side, price ?? OrderBook.NoPrice, command.Account, lots) < lots)
            (reason, message) = (RejectReason.FokNotFillable, "Fill-or-kill: the book cannot fill the whole quantity at this price now.");
        if (reason == RejectReason.None && command.Type == OrderType.Market && _book.Fillable(command.Side, OrderBook.NoPrice, command.Account, lots) == 0)
            (reason, message) = (RejectReason.NoLiquidity, $"There is no {(command.Side == OrderSide.Buy ? "offer" : "bid")} to fill a market order.");
        if (reason != RejectReason.None)
        {
            TradingMetrics.Denials.Add(1, new("market", _spec.Id), new("reason", Codes.Of(reason)));
            tcs.SetResult(Rejected(command, reason, message));
            return;
        }

        var state = new OrderState(_ids.NextOrder(), command.Account, command.Side, command.Type, command.TimeInForce, price, lots, command.ClientOrderId, _now);
        _records.Add(new OrderAcceptedRecord(_spec.Id, _now, state.Id, state.Account, state.Side, state.Type, state.TimeInForce, price, lots, state.ClientOrderId));
        _open[state.Id] = state;
        var taker = _book.Rent();
        taker.Set(state.Id, command.Account, command.Side, price ?? 0, lots);
        var selfTrade = _book.Match(taker, price ?? OrderBook.NoPrice, this);

        if (taker.Remaining == 0) Close(state, OrderStatus.Filled, RejectReason.None);
        else if (selfTrade) Close(state, OrderStatus.Cancelled, RejectReason.SelfTradePrevented);
        else if (command.Type == OrderType.Market || command.TimeInForce != TimeInForce.Gtc) Close(state, OrderStatus.Expired, RejectReason.None);
        else
        {
            _book.Rest(taker);
            _records.Add(new OrderRestedRecord(_spec.Id, _now, state.Id));
            _events.Add(new OrderUpdated(state.View(_spec)));
            taker = null;
        }
        if (taker is not null) _book.Return(taker);

        var result = new OrderResult(state.Id, _spec.Id, state.Status, state.Reason,
            state.Reason == RejectReason.SelfTradePrevented ? "The rest of the order would have traded against your own resting order and was cancelled." : null,
            _spec.Quantity(lots), _spec.Quantity(state.Filled), state.AveragePrice(_spec), _fills.ToArray());
        TradingMetrics.Orders.Add(1, new("market", _spec.Id), new("status", Codes.Of(state.Status)));
        Commit(tcs, result);
    }

    private void HandleCancel(CancelOrder command, TaskCompletionSource<OrderResult> tcs)
    {
        Begin();
        if (!_open.TryGetValue(command.OrderId, out var state))
        {
            var closed = _closed.FirstOrDefault(o => o.Id == command.OrderId);
            tcs.SetResult(closed is null
                ? CancelRejected(command.OrderId, RejectReason.UnknownOrder, $"No order {command.OrderId} in {_spec.Id}.")
                : CancelRejected(command.OrderId, RejectReason.AlreadyClosed, $"Order {command.OrderId} is already {closed.Status.ToString().ToLowerInvariant()}."));
            return;
        }
        if (state.Account != command.Account && !command.Override)
        {
            tcs.SetResult(CancelRejected(command.OrderId, RejectReason.NotOwner, $"Order {command.OrderId} belongs to another key."));
            return;
        }
        if (_book.Remove(state.Id, out var resting)) _book.Return(resting);
        Close(state, OrderStatus.Cancelled, RejectReason.None);
        Commit(tcs, new OrderResult(state.Id, _spec.Id, state.Status, RejectReason.None, null,
            _spec.Quantity(state.Quantity), _spec.Quantity(state.Filled), state.AveragePrice(_spec), []));
    }

    private void Close(OrderState state, OrderStatus status, RejectReason reason)
    {
        state.Close(status, reason, _now);
        _open.Remove(state.Id);
        var view = state.View(_spec);
        _closed.Add(view);
        _records.Add(new OrderClosedRecord(_spec.Id, _now, state.Id, status, reason));
        _events.Add(new OrderUpdated(view));
    }

    /// <summary>Journals what this command did and acknowledges once it is durable.</summary>
    private void Commit<T>(TaskCompletionSource<T> tcs, T result)
    {
        if (_fills.Count > 0 || _records.Count > 0) AddMarketEvents();
        _snapshot = BuildSnapshot(_now);
        _journal.Write(_records.ToArray(), _events.ToArray(), error =>
        {
            if (error is null) tcs.TrySetResult(result);
            else tcs.TrySetException(error);
        });
    }

    private void AddMarketEvents()
    {
        var s = BuildSnapshot(_now);
        _events.Add(new MarkUpdated(_spec.Id, s.Mark, s.Ema, s.Vwap, s.BestBid, s.BestAsk, s.Reference, _now));
        if (_fills.Count > 0) _events.Add(new PositionChanged(s.Position));
    }

    void IMatchListener.OnFill(BookOrder maker, BookOrder taker, long price, long quantity)
    {
        var tradeId = _ids.NextTrade();
        _records.Add(new FillRecord(_spec.Id, _now, tradeId, maker.Id, taker.Id, maker.Account, taker.Account, taker.Side, price, quantity, maker.Ephemeral, taker.Ephemeral));
        ApplyFill(tradeId, maker.Id, taker.Id, maker.Account, taker.Account, maker.Side, taker.Side, price, quantity, _now);
        var px = _spec.Price(price);
        var qty = _spec.Quantity(quantity);
        if (!taker.Ephemeral) _fills.Add(new Fill(tradeId, px, qty, _now, Maker: false));
        if (!maker.Ephemeral && _open.TryGetValue(maker.Id, out var makerState) && makerState.Status.IsOpen())
            _events.Add(new OrderUpdated(makerState.View(_spec)));
        _events.Add(new TradeExecuted(_trades.Last!));
        TradingMetrics.Trades.Add(1, new KeyValuePair<string, object?>("market", _spec.Id));
        TradingMetrics.PriceEvents.Add(1, new KeyValuePair<string, object?>("market", _spec.Id));
    }

    void IMatchListener.OnMakerFilled(BookOrder maker)
    {
        if (maker.Ephemeral) { _quotes.Remove(maker.Id); return; }
        if (_open.TryGetValue(maker.Id, out var state)) Close(state, OrderStatus.Filled, RejectReason.None);
    }

    /// <summary>Position, prices, order states and the trade tape for one fill (live and replay).</summary>
    private void ApplyFill(long tradeId, long makerId, long takerId, string makerAccount, string takerAccount,
        OrderSide makerSide, OrderSide takerSide, long price, long quantity, DateTimeOffset time)
    {
        if (makerAccount != _mm.Account) _position.Apply(makerSide, quantity, price);
        if (takerAccount != _mm.Account) _position.Apply(takerSide, quantity, price);
        _data.OnTrade(_spec.Price(price), _spec.Quantity(quantity), time);
        if (_open.TryGetValue(makerId, out var maker)) maker.AddFill(quantity, price, time);
        if (_open.TryGetValue(takerId, out var taker)) taker.AddFill(quantity, price, time);
        _trades.Add(new Trade(tradeId, _spec.Id, _spec.Price(price), _spec.Quantity(quantity), takerSide, makerId, takerId, makerAccount, takerAccount, time));
    }

    private decimal? CurrentMark() => _data.Mark(Price(_book.BestBid), Price(_book.BestAsk));

    private decimal? Price(long ticks) => ticks == OrderBook.NoPrice ? null : _spec.Price(ticks);

    private MarketSnapshot BuildSnapshot(DateTimeOffset now)
    {
        var mark = CurrentMark();
        return new MarketSnapshot(_spec.Id, mark, _data.Ema, _data.Vwap, Price(_book.BestBid), Price(_book.BestAsk), _data.Reference,
            _data.LastTrade, _data.PriceEvents, _position.View(mark), _book.RestingCount, now);
    }

    private OrderResult Rejected(SubmitOrder command, RejectReason reason, string? message) =>
        new(null, _spec.Id, OrderStatus.Rejected, reason, message, command.Quantity, 0, null, []);

    private OrderResult CancelRejected(long id, RejectReason reason, string message) =>
        new(id, _spec.Id, OrderStatus.Rejected, reason, message, 0, 0, null, []);
}
