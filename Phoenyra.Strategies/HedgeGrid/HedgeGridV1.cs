using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// HedgeGridV1 on a power market, re-derived from its description: a post-only ladder around a
/// centre, rebuilt when the mid leaves the recentre band; each entry fill pairs a take-profit
/// (resting) with a stop-loss (watched); long and short inventories kept apart (hedge mode).
/// A rung is re-placed on a later bar once its previous fill has exited, so the grid never stacks
/// inventory on one rung. Runs on its instance's loop only.
/// </summary>
internal sealed class HedgeGridV1 : IStrategy
{
    private const int FlattenAttempts = 5;

    private readonly GridParameters _p;
    private readonly GridInstrument _market;
    private readonly decimal _maxExposureEur;
    private readonly IOrderGateway _orders;
    private readonly string _account;
    private readonly ILogger _logger;
    private readonly Func<StrategyEvent, ValueTask> _remember;
    private readonly GridBook _book;
    private Ladder? _ladder;
    private decimal? _mid;
    private Bar? _bar;
    private long _sequence;
    private string? _ladderProblem;

    /// <summary>Between OnStart and OnStop: only then does the grid place orders (a late entry fill after a stop keeps its pair, without a take-profit).</summary>
    private bool _quoting;

    public HedgeGridV1(GridParameters parameters, GridInstrument market, decimal maxExposureEur, IOrderGateway orders, string account,
        ILogger logger, Func<StrategyEvent, ValueTask>? remember = null)
    {
        _p = parameters;
        _market = market;
        _maxExposureEur = maxExposureEur;
        _orders = orders;
        _account = account;
        _logger = logger;
        _remember = remember ?? (_ => ValueTask.CompletedTask);
        _book = new GridBook(market.ProductHours);
    }

    /// <summary>0..1 (see <see cref="HedgeGrid.Throttle"/>); a change rebuilds the ladder on the next bar.</summary>
    public decimal Throttle { get; private set; } = 1m;

    public async ValueTask SetThrottle(decimal throttle, CancellationToken ct)
    {
        if (HedgeGrid.Throttle.Problem(throttle) is { } problem) throw new ArgumentOutOfRangeException(nameof(throttle), problem);
        Throttle = throttle;
        await CancelWhere(o => o.Kind == GridOrderKind.Entry, ct);
        _ladder = null;
    }

    public bool Owns(long orderId) => _book.TryGet(orderId, out _);

    public StrategyRisk Risk => _book.Risk(_mid, _maxExposureEur);

    /// <summary>Inventories and PnL from the journalled fills and the strategy's own offsets, in time order.</summary>
    public ValueTask Recover(AccountActivity activity, IReadOnlyList<StrategyEvent> events, CancellationToken ct)
    {
        _book.Replay(activity.Fills, events);
        _mid = activity.Fills.Count > 0 ? activity.Fills[^1].Price : null;
        // One exit pair per leg still open, from its average entry: the rungs of the fills are gone with the restart.
        foreach (var leg in new[] { _book.Leg(GridSide.Long), _book.Leg(GridSide.Short) }.Where(l => l.Quantity > 0))
        {
            var step = leg.AveragePrice * _p.GridStepBps / 10_000m;
            var sign = leg.Side == GridSide.Long ? 1 : -1;
            _book.Pairs.Add(new ExitPair(leg.Side, 0, leg.Quantity, Round(leg.AveragePrice + sign * _p.TpSteps * step), Round(leg.AveragePrice - sign * _p.SlSteps * step)));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask OnStart(CancellationToken ct)
    {
        _ladder = null;
        _quoting = true;
        foreach (var pair in _book.Pairs) pair.Stopped = false;
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnBar(Bar bar, CancellationToken ct)
    {
        _bar = bar;
        _mid = bar.Mid;
        await WatchExits(bar, ct);
        if (Throttle == 0)
        {
            await CancelWhere(o => o.Kind == GridOrderKind.Entry, ct);
            _ladder = null;
            return;
        }
        if (_ladder is null || LadderBuilder.NeedsRecentre(bar.Mid, _ladder.Centre, _p.RecenterTriggerBps))
        {
            if (_ladder is not null) _logger.LogInformation("Grid {Account} recentres: mid {Mid} is more than {Trigger} bps from {Centre}", _account, bar.Mid, _p.RecenterTriggerBps, _ladder.Centre);
            await CancelWhere(o => o.Kind == GridOrderKind.Entry, ct);
            _ladder = LadderBuilder.Build(bar.Mid, _p, _market, Throttle);
            if (_ladder.Refusal != _ladderProblem && _ladder.Refusal is not null) _logger.LogWarning("Grid {Account} refused its ladder: {Reason}", _account, _ladder.Refusal);
            _ladderProblem = _ladder.Refusal;
        }
        var busy = new HashSet<(GridSide, int)>();
        decimal workingLong = 0, workingShort = 0;
        foreach (var order in _book.Orders)
        {
            if (!order.Working || order.Kind != GridOrderKind.Entry) continue;
            busy.Add((order.Leg, order.Rung));
            if (order.Leg == GridSide.Long) workingLong += (order.Quantity - order.Filled) * Math.Abs(order.Price);
            else workingShort += (order.Quantity - order.Filled) * Math.Abs(order.Price);
        }
        foreach (var pair in _book.Pairs) busy.Add((pair.Leg, pair.Rung));
        foreach (var rung in _ladder.Rungs)
        {
            if (busy.Contains((rung.Side, rung.Index))) continue;
            var working = rung.Side == GridSide.Long ? workingLong : workingShort;
            if (await PlaceRung(rung, bar, working, ct) is { } added)
            {
                if (rung.Side == GridSide.Long) workingLong += added;
                else workingShort += added;
            }
        }
    }

    public async ValueTask OnOrderFilled(StrategyFill fill, CancellationToken ct)
    {
        if (!_book.TryGet(fill.OrderId, out var order)) return;
        order.Filled += fill.Quantity;
        if (order.Filled >= order.Quantity) order.FinalFilled ??= order.Quantity; // filled is closed
        _book.CountFill(fill.Maker);
        var leg = _book.Leg(order.Leg);
        switch (order.Kind)
        {
            case GridOrderKind.Entry:
                leg.Open(fill.Price, fill.Quantity);
                if (order.ClosedByFlatten) break;
                var pair = new ExitPair(order.Leg, order.Rung, fill.Quantity, order.TakeProfit, order.StopLoss);
                _book.Pairs.Add(pair);
                if (_quoting) await PlaceTakeProfit(pair, ct);
                break;
            case GridOrderKind.TakeProfit or GridOrderKind.StopLoss:
                var closed = leg.Close(fill.Price, fill.Quantity);
                if (order.Pair is { } exit)
                {
                    exit.Quantity -= closed;
                    if (exit.Quantity <= 0)
                    {
                        _book.Pairs.Remove(exit);
                        if (order.Kind == GridOrderKind.StopLoss && exit.TakeProfitOrder is { Working: true } tp) await Cancel(tp, ct);
                    }
                }
                break;
            case GridOrderKind.Flatten:
                leg.Close(fill.Price, fill.Quantity);
                _book.DropPairsBeyondInventory(order.Leg);
                break;
        }
        _book.ForgetIfSettled(order);
    }

    public void OnOrderClosed(OrderView view)
    {
        if (!_book.TryGet(view.Id, out var order)) return;
        order.FinalFilled = view.FilledQuantity;
        if (order.Pair is { } pair && pair.TakeProfitOrder == order) pair.TakeProfitOrder = null;
        _book.ForgetIfSettled(order);
    }

    public async ValueTask<int> OnStop(CancellationToken ct)
    {
        _quoting = false;
        var cancelled = await CancelWhere(_ => true, ct);
        _ladder = null;
        return cancelled;
    }

    public async ValueTask<FlattenResult> Flatten(FlattenSide side, CancellationToken ct)
    {
        var cancelled = await OnStop(ct);
        var sides = side switch { FlattenSide.Long => new[] { GridSide.Long }, FlattenSide.Short => [GridSide.Short], _ => [GridSide.Long, GridSide.Short] };
        if (side == FlattenSide.Both && Math.Min(_book.Leg(GridSide.Long).Quantity, _book.Leg(GridSide.Short).Quantity) is var both and > 0)
        {
            // On a netting venue the two legs cancel out without a trade: close them against each other.
            var price = _mid ?? _book.Leg(GridSide.Long).AveragePrice;
            await _remember(new StrategyEvent(StrategyEventKind.Offset, _bar?.Time ?? DateTimeOffset.UtcNow, both, price, "flatten both"));
            _book.Offset(both, price);
        }
        string? problem = null;
        // What each leg holds once the fills already done (but not yet seen on this loop) are in.
        var holding = new Dictionary<GridSide, decimal> { [GridSide.Long] = _book.Holding(GridSide.Long), [GridSide.Short] = _book.Holding(GridSide.Short) };
        foreach (var late in _book.Orders.Where(o => o.Kind == GridOrderKind.Entry && sides.Contains(o.Leg) && o.FinalFilled > o.Filled)) late.ClosedByFlatten = true;
        foreach (var legSide in sides)
        {
            // Re-check until flat, from the engine's answers (the fills reach the legs on later turns of the loop).
            for (var attempt = 0; attempt < FlattenAttempts && holding[legSide] > 0; attempt++)
            {
                var net = holding[GridSide.Long] - holding[GridSide.Short];
                var reducesNet = legSide == GridSide.Long ? net >= holding[legSide] : -net >= holding[legSide];
                var result = await Send(new SubmitOrder(_market.Market, legSide == GridSide.Long ? OrderSide.Sell : OrderSide.Buy, holding[legSide], null,
                    OrderType.Market, TimeInForce.Ioc, _account, GridOrderIds.Flatten(legSide, ++_sequence), ReduceOnly: reducesNet),
                    GridOrderKind.Flatten, legSide, 0, null, ct);
                holding[legSide] -= result.FilledQuantity;
                if (!result.Accepted) problem = $"{Codes.Of(result.Reason)}: {result.Message}";
            }
        }
        var flat = sides.All(s => holding[s] <= 0);
        return new FlattenResult(cancelled, sides.Select(s => s == GridSide.Long ? "LONG" : "SHORT").ToList(), flat, flat ? null : problem);
    }

    object IStrategy.View() => View();

    public GridView View()
    {
        var rungs = new List<GridRungView>();
        foreach (var rung in _ladder?.Rungs ?? [])
        {
            var resting = _book.Orders.Any(o => o.Working && o.Kind == GridOrderKind.Entry && o.Leg == rung.Side && o.Rung == rung.Index);
            var pair = _book.Pairs.FirstOrDefault(p => p.Leg == rung.Side && p.Rung == rung.Index);
            var state = resting ? "resting" : pair is null ? "idle" : pair.TakeProfitOrder is { Working: true } ? "take_profit" : "filled";
            rungs.Add(new GridRungView(rung.Side, rung.Index, rung.Price, rung.Quantity, state, rung.TakeProfit, rung.StopLoss));
        }
        var orders = _book.Orders.Where(o => o.Working).OrderBy(o => o.Price)
            .Select(o => new GridOrderView(o.Id, o.ClientId, o.Kind, o.Side, o.Price, o.Quantity, o.Filled)).ToList();
        return new GridView(_mid, _ladder?.Centre, _ladder?.Step ?? 0, Throttle, _ladderProblem, rungs, orders,
            _book.View(GridSide.Long, _mid), _book.View(GridSide.Short, _mid), Risk);
    }

    /// <summary>Rests the rung's post-only entry unless it would cross or break max_inventory; the notional it added, or null.</summary>
    private async ValueTask<decimal?> PlaceRung(Rung rung, Bar bar, decimal workingNotional, CancellationToken ct)
    {
        // Post-only would be refused: the rung is through the touch this bar.
        if (rung.Side == GridSide.Long ? bar.BestAsk is { } ask && rung.Price >= ask : bar.BestBid is { } bid && rung.Price <= bid) return null;
        var notional = rung.Quantity * Math.Abs(rung.Price);
        if ((_book.Leg(rung.Side).Quantity * Math.Abs(rung.Price) + workingNotional + notional) * _market.ProductHours > _p.MaxInventory) return null;
        var side = rung.Side == GridSide.Long ? OrderSide.Buy : OrderSide.Sell;
        var id = GridOrderIds.Entry(rung.Side, rung.Index, LadderBuilder.Ticks(rung.Price, _market.Tick), ++_sequence);
        var result = await Send(new SubmitOrder(_market.Market, side, rung.Quantity, rung.Price, OrderType.Limit, TimeInForce.Gtc, _account, id, PostOnly: true),
            GridOrderKind.Entry, rung.Side, rung.Index, null, ct, rung.TakeProfit, rung.StopLoss);
        return result.Accepted ? notional : null;
    }

    private async ValueTask PlaceTakeProfit(ExitPair pair, CancellationToken ct)
    {
        var side = pair.Leg == GridSide.Long ? OrderSide.Sell : OrderSide.Buy;
        var id = GridOrderIds.TakeProfit(pair.Leg, pair.Rung, LadderBuilder.Ticks(pair.TakeProfit, _market.Tick), ++_sequence);
        var result = await Send(new SubmitOrder(_market.Market, side, pair.Quantity, pair.TakeProfit, OrderType.Limit, TimeInForce.Gtc, _account, id),
            GridOrderKind.TakeProfit, pair.Leg, pair.Rung, pair, ct);
        if (result.Accepted && result.OrderId is { } orderId && _book.TryGet(orderId, out var order) && order.Working) pair.TakeProfitOrder = order;
    }

    /// <summary>Stops the desk cannot hold: once the touch reaches a pair's stop, an IOC closes it; a pair without its take-profit gets one.</summary>
    private async ValueTask WatchExits(Bar bar, CancellationToken ct)
    {
        foreach (var pair in _book.Pairs.ToList())
        {
            var touch = pair.Leg == GridSide.Long ? bar.BestBid ?? bar.Mid : bar.BestAsk ?? bar.Mid;
            var stopped = pair.Leg == GridSide.Long ? touch <= pair.StopLoss : touch >= pair.StopLoss;
            if (stopped && pair.Quantity > 0)
            {
                pair.Stopped = true;
                if (pair.TakeProfitOrder is { Working: true } tp) await Cancel(tp, ct);
                var pending = _book.Orders.Where(o => o.Pair == pair && o.Kind == GridOrderKind.StopLoss).Sum(o => (o.FinalFilled ?? o.Quantity) - o.Filled);
                var quantity = Math.Min(pair.Quantity, _book.Leg(pair.Leg).Quantity) - pending;
                if (quantity <= 0) continue;
                var id = GridOrderIds.StopLoss(pair.Leg, pair.Rung, LadderBuilder.Ticks(pair.StopLoss, _market.Tick), ++_sequence);
                await Send(new SubmitOrder(_market.Market, pair.Leg == GridSide.Long ? OrderSide.Sell : OrderSide.Buy, quantity, null, OrderType.Market, TimeInForce.Ioc, _account, id),
                    GridOrderKind.StopLoss, pair.Leg, pair.Rung, pair, ct);
            }
            else if (!pair.Stopped && pair.TakeProfitOrder is null && pair.Quantity > 0) await PlaceTakeProfit(pair, ct);
        }
    }

    private async ValueTask<OrderResult> Send(SubmitOrder order, GridOrderKind kind, GridSide leg, int rung, ExitPair? pair, CancellationToken ct,
        decimal takeProfit = 0, decimal stopLoss = 0)
    {
        var result = await _orders.Submit(order, ct);
        if (result.OrderId is not { } id || !result.Accepted) return result;
        var tracked = new GridOrder(id, order.ClientOrderId!, kind, leg, rung, order.Side, order.Price ?? 0, order.Quantity)
        {
            TakeProfit = takeProfit, StopLoss = stopLoss, Pair = pair,
        };
        if (!result.Status.IsOpen()) tracked.FinalFilled = result.FilledQuantity;
        _book.Track(tracked);
        return result;
    }

    private async ValueTask<int> CancelWhere(Func<GridOrder, bool> which, CancellationToken ct)
    {
        var cancelled = 0;
        foreach (var order in _book.Orders.Where(o => o.Working && which(o)).ToList())
            if (await Cancel(order, ct)) cancelled++;
        return cancelled;
    }

    private async ValueTask<bool> Cancel(GridOrder order, CancellationToken ct)
    {
        var result = await _orders.Cancel(order.Id, ct);
        // Already closed: it filled or expired meanwhile; the engine says how much filled (the fills themselves are on their way to this loop).
        order.FinalFilled ??= result.Reason is RejectReason.None or RejectReason.AlreadyClosed ? result.FilledQuantity : order.Filled;
        if (order.Pair is { } pair && pair.TakeProfitOrder == order) pair.TakeProfitOrder = null;
        _book.ForgetIfSettled(order);
        return result.Reason == RejectReason.None;
    }

    private decimal Round(decimal price) => LadderBuilder.RoundToTick(price, _market.Tick);
}
