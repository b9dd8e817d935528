using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Backtest;

/// <summary>
/// The paper market's fill model at backtest speed: a touch a half spread either side of the price
/// (as the desk's simulated market maker quotes), resting limits filled at their own price as maker
/// once the touch crosses them, immediate orders filled at the touch as taker, post-only and
/// reduce-only refused as the engine refuses them. Fills are queued and handed to the strategy after
/// the call that caused them, as the live loop does.
/// </summary>
internal sealed class PaperVenue(string market, decimal halfSpread) : IOrderGateway
{
    private readonly List<Resting> _resting = [];
    private readonly Queue<StrategyFill> _fills = new();
    private long _nextId = 1;
    private decimal _net;

    public decimal Bid { get; private set; }
    public decimal Ask { get; private set; }
    public DateTimeOffset Time { get; private set; }

    /// <summary>Orders, cancels and fills handled: the backtest's events beside its bars.</summary>
    public long Events { get; private set; }

    public bool TryDequeueFill(out StrategyFill fill) => _fills.TryDequeue(out fill!);

    /// <summary>The price moves: the touch follows, and resting orders it crosses fill at their price.</summary>
    public void Move(DateTimeOffset time, decimal price)
    {
        Time = time;
        Bid = price - halfSpread;
        Ask = price + halfSpread;
        for (var i = _resting.Count - 1; i >= 0; i--)
        {
            var order = _resting[i];
            if (order.Side == OrderSide.Buy ? Ask > order.Price : Bid < order.Price) continue;
            _resting.RemoveAt(i);
            Fill(order.Id, order.Side, order.Price, order.Quantity, maker: true);
        }
    }

    public ValueTask<OrderResult> Submit(SubmitOrder order, CancellationToken ct)
    {
        Events++;
        var crosses = order.Type == OrderType.Market || (order.Side == OrderSide.Buy ? order.Price >= Ask : order.Price <= Bid);
        if (order.PostOnly && crosses) return Refused(order, RejectReason.PostOnlyWouldCross);
        var signed = order.Side == OrderSide.Buy ? order.Quantity : -order.Quantity;
        if (order.ReduceOnly && (_net == 0 || Math.Sign(signed) == Math.Sign(_net) || Math.Abs(signed) > Math.Abs(_net)))
            return Refused(order, RejectReason.ReduceOnlyWouldIncrease);
        var id = _nextId++;
        if (crosses)
        {
            Fill(id, order.Side, order.Side == OrderSide.Buy ? Ask : Bid, order.Quantity, maker: false);
            return Answer(id, order, OrderStatus.Filled, order.Quantity);
        }
        if (order.TimeInForce != TimeInForce.Gtc) return Answer(id, order, OrderStatus.Expired, 0);
        _resting.Add(new Resting(id, order.Side, order.Price!.Value, order.Quantity));
        return Answer(id, order, OrderStatus.Accepted, 0);
    }

    public ValueTask<OrderResult> Cancel(long orderId, CancellationToken ct)
    {
        Events++;
        var index = _resting.FindIndex(o => o.Id == orderId);
        // Fills reach the strategy before it acts again, so it already knows what an order it cancels late came to.
        if (index < 0) return new(new OrderResult(orderId, market, OrderStatus.Rejected, RejectReason.AlreadyClosed, null, 0, 0, null, []));
        var order = _resting[index];
        _resting.RemoveAt(index);
        return new(new OrderResult(orderId, market, OrderStatus.Cancelled, RejectReason.None, null, order.Quantity, 0, null, []));
    }

    private void Fill(long id, OrderSide side, decimal price, decimal quantity, bool maker)
    {
        Events++;
        _net += side == OrderSide.Buy ? quantity : -quantity;
        _fills.Enqueue(new StrategyFill(id, null, side, price, quantity, maker, Time));
    }

    private ValueTask<OrderResult> Answer(long id, SubmitOrder order, OrderStatus status, decimal filled) =>
        new(new OrderResult(id, market, status, RejectReason.None, null, order.Quantity, filled, null, []));

    private ValueTask<OrderResult> Refused(SubmitOrder order, RejectReason reason) =>
        new(new OrderResult(null, market, OrderStatus.Rejected, reason, null, order.Quantity, 0, null, []));

    private sealed record Resting(long Id, OrderSide Side, decimal Price, decimal Quantity);
}
