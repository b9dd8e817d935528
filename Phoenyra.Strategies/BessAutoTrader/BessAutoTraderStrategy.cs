using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.BessAutoTrader;

/// <summary>
/// The battery auto-trader as a strategy (kind <c>bess-autotrader</c>): on start and on every bar it
/// asks the BESS planner for the battery's plan (<see cref="GetBatteryPlan"/>) and sends the difference
/// between this period's planned power and what it has already traded as an IOC order through the
/// risk engine, so BESS guards and limits apply. It runs under the strategy runtime: started and
/// stopped by an operator (audited), halted by its kill switch (loss from peak, daily loss, …) and by
/// the desk's, and by telemetry older than <see cref="KillSwitchOptions.StaleDataSeconds"/>
/// (trigger <c>stale_telemetry</c>). Its position is the net of its fills, at average cost.
/// </summary>
internal sealed class BessAutoTraderStrategy(string account, MarketInfo market, IBus bus, IOrderGateway gateway, KillSwitchOptions killSwitch, TimeProvider time, ILogger logger) : IStrategy
{
    private const int PeriodsShown = 12;
    private readonly Dictionary<long, double> _planned = [];
    private readonly Dictionary<long, double> _executed = [];
    private readonly Dictionary<long, string> _denials = [];
    // Its recent orders, whose fills are routed here; IOC fills arrive right after the answer, so the last few hundred suffice.
    private const int OrdersKept = 256;
    private readonly HashSet<long> _orders = [];
    private readonly Queue<long> _orderAge = new();
    private BatteryPlan? _plan;
    private DateTimeOffset? _lastPlan;
    private string _activity = "switched off";
    private (string Trigger, string Reason)? _halt;
    private decimal? _mid;
    private decimal _position, _average, _realized;
    private int _fills;

    private TimeSpan Step => TimeSpan.FromMinutes(_plan?.StepMinutes ?? (double)market.ProductHours * 60);

    private long Period(DateTimeOffset time) => time.UtcTicks / Step.Ticks;

    public ValueTask Recover(AccountActivity activity, IReadOnlyList<StrategyEvent> events, CancellationToken ct)
    {
        foreach (var fill in activity.Fills.OrderBy(f => f.Time)) Apply(fill.Side, fill.Price, fill.Quantity, fill.Time);
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnStart(CancellationToken ct)
    {
        _halt = null;
        await Trade(ct); // switching on trades this period's plan at once
    }

    public async ValueTask OnBar(Bar bar, CancellationToken ct)
    {
        _mid = bar.Mid;
        await Trade(ct);
    }

    public ValueTask OnOrderFilled(StrategyFill fill, CancellationToken ct)
    {
        Apply(fill.Side, fill.Price, fill.Quantity, fill.Time);
        return ValueTask.CompletedTask;
    }

    public void OnOrderClosed(OrderView order) { }

    /// <summary>Every order is IOC: nothing rests to cancel.</summary>
    public ValueTask<int> OnStop(CancellationToken ct) => ValueTask.FromResult(0);

    public bool Owns(long orderId) => _orders.Contains(orderId);

    public (string Trigger, string Reason)? HaltRequest => _halt;

    /// <summary>Re-plans and trades what this period still needs.</summary>
    private async Task Trade(CancellationToken ct)
    {
        var plan = _plan = await bus.Send(new GetBatteryPlan(), ct);
        _lastPlan = time.GetUtcNow();
        if (plan.Market != market.Market)
        {
            _activity = $"waiting: the battery plans for {plan.Market}, this instance trades {market.Market}";
            return;
        }
        if (plan.TelemetryAgeSeconds is { } age && killSwitch.StaleDataSeconds > 0 && age > killSwitch.StaleDataSeconds)
        {
            _halt = ("stale_telemetry", $"no telemetry from {plan.Site} for {age:0} s (the limit is {killSwitch.StaleDataSeconds:0} s)");
            _activity = $"stopping: {_halt.Value.Reason}";
            return;
        }
        if (plan.Problem is { } problem || plan.Reference is not { } reference)
        {
            _activity = $"waiting: {plan.Problem}";
            return;
        }
        var period = Period(plan.PeriodStart);
        _planned[period] = plan.TargetMw;
        var remaining = (decimal)(plan.TargetMw - _executed.GetValueOrDefault(period));
        var quantity = Math.Floor(Math.Abs(remaining) / plan.LotMw) * plan.LotMw;
        if (quantity < plan.LotMw)
        {
            _activity = plan.TargetMw == 0
                ? "idle: the plan holds the battery this period"
                : $"idle: this period's plan ({PlannedPower.Describe(plan.TargetMw)}) is traded";
            return;
        }
        var side = remaining > 0 ? OrderSide.Sell : OrderSide.Buy;
        var limit = Math.Round(reference + (side == OrderSide.Sell ? -plan.LimitOffsetEur : plan.LimitOffsetEur), 2);
        _activity = $"trading: {Codes.Of(side).ToUpperInvariant()} {quantity} MW IOC @ {limit} toward {PlannedPower.Describe(plan.TargetMw)}";
        var result = await gateway.Submit(new SubmitOrder(market.Market, side, quantity, limit, OrderType.Limit, TimeInForce.Ioc, account, $"plan-{period}"), ct);
        Remember(result);
        if (result.Status != OrderStatus.Rejected) return;
        _denials[period] = $"{Codes.Of(result.Reason)}: {result.Message}";
        _activity = $"denied: {Codes.Of(result.Reason)} ({result.Message})";
        logger.LogInformation("Auto-trader {Side} {Quantity} MW denied: {Reason}", side, quantity, result.Message);
    }

    private void Remember(OrderResult result)
    {
        if (result.OrderId is not { } id || !_orders.Add(id)) return;
        _orderAge.Enqueue(id);
        if (_orderAge.Count > OrdersKept) _orders.Remove(_orderAge.Dequeue());
    }

    /// <summary>A fill: the period's executed power (+ sold) and the net position at average cost.</summary>
    private void Apply(OrderSide side, decimal price, decimal quantity, DateTimeOffset time)
    {
        var signed = side == OrderSide.Buy ? quantity : -quantity;
        var period = Period(time);
        _executed[period] = _executed.GetValueOrDefault(period) - (double)signed;
        _fills++;
        if (_position != 0 && Math.Sign(signed) != Math.Sign(_position))
        {
            var closing = Math.Min(Math.Abs(signed), Math.Abs(_position));
            _realized += (price - _average) * closing * Math.Sign(_position) * market.ProductHours;
            _position += Math.Sign(signed) * closing;
            signed -= Math.Sign(signed) * closing;
            if (_position == 0) _average = 0;
        }
        if (signed == 0) return;
        _average = (_average * Math.Abs(_position) + price * Math.Abs(signed)) / (Math.Abs(_position) + Math.Abs(signed));
        _position += signed;
    }

    /// <summary>Trades the net position back at the market (the side asked for); what does not fill stays and is said.</summary>
    public async ValueTask<FlattenResult> Flatten(FlattenSide side, CancellationToken ct)
    {
        if (_position == 0 || (side == FlattenSide.Long && _position < 0) || (side == FlattenSide.Short && _position > 0))
            return new FlattenResult(0, [], _position == 0, _position == 0 ? null : $"still open: {Describe(_position)}");
        var closing = _position > 0 ? OrderSide.Sell : OrderSide.Buy;
        var quantity = Math.Abs(_position);
        var result = await gateway.Submit(new SubmitOrder(market.Market, closing, quantity, null, OrderType.Market, TimeInForce.Ioc, account, "flatten"), ct);
        Remember(result);
        var flat = result.FilledQuantity == quantity;
        return new FlattenResult(0, [$"{Codes.Of(closing).ToUpperInvariant()} {quantity} MW"], flat,
            flat ? null : $"{Describe(_position)} open; the flatten filled {result.FilledQuantity} MW ({result.Message ?? Codes.Of(result.Status)})");
    }

    private static string Describe(decimal position) => $"{(position > 0 ? "long" : "short")} {Math.Abs(position)} MW";

    public StrategyRisk Risk
    {
        get
        {
            var mid = _mid ?? (_plan?.Reference) ?? _average;
            var value = Math.Abs(_position) * mid * market.ProductHours;
            return new StrategyRisk(_realized, (mid - _average) * _position * market.ProductHours, _position > 0 ? value : 0, _position < 0 ? value : 0,
                market.MaxExposureEur is > 0 and var limit ? value / limit : 0, _fills, 0);
        }
    }

    public object View()
    {
        var now = _plan is { } p ? Period(p.PeriodStart) : long.MaxValue;
        var periods = _planned.Keys.Concat(_executed.Keys).Distinct().Where(k => k > now - PeriodsShown).OrderDescending()
            .Select(k => new AutoTraderPeriod(new DateTimeOffset(k * Step.Ticks, TimeSpan.Zero), Math.Round(_planned.GetValueOrDefault(k), 4), Math.Round(_executed.GetValueOrDefault(k), 4), _denials.GetValueOrDefault(k)))
            .ToList();
        return new AutoTraderView(market.Market, account, _lastPlan, _plan?.Problem, periods, _activity, _plan?.Forecast, _plan?.Ahead ?? []);
    }
}
