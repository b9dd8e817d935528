using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Positions;

namespace Phoenyra.Trading.Risk;

/// <summary>An order as the risk engine sees it, already validated and converted to ticks and lots.</summary>
internal readonly record struct OrderIntent(string Account, OrderSide Side, OrderType Type, long Lots, long? PriceTicks);

/// <summary>What the market's open orders could still add: lots on the order's side (every account) and the key's open orders.</summary>
internal readonly record struct RestingOrders(long SameSideLots, int AccountOpenOrders)
{
    public static readonly RestingOrders None = new(0, 0);
}

/// <summary>
/// Owns the trading state: the risk policy in force (swapped whole on a valid reload), the guards
/// other modules publish (BESS SoC and temperature, stale telemetry, …) and each market's submit
/// throttles; and runs every pre-trade check. Checks run on the order's market loop, so positions
/// and throttles are consistent with the book.
/// </summary>
internal sealed class RiskEngine
{
    private readonly Dictionary<string, MarketThrottle> _throttles;
    private readonly Dictionary<(string Source, string Name), TradingGuardChanged> _guards = new();
    private readonly Lock _guardGate = new();
    private volatile RiskPolicy _policy;
    // Rebuilt whole on every guard change (rare); each order reads its market's without a lock.
    private volatile GuardState _deskGuards = GuardState.None;
    private volatile IReadOnlyDictionary<string, GuardState> _marketGuards;

    public RiskEngine(RiskPolicy initial, IEnumerable<string> markets)
    {
        _policy = initial;
        _throttles = markets.ToDictionary(m => m, _ => new MarketThrottle(), StringComparer.Ordinal);
        _marketGuards = _throttles.Keys.ToDictionary(m => m, _ => GuardState.None, StringComparer.Ordinal);
    }

    public RiskPolicy Policy => _policy;

    /// <summary>BUY/SELL blocks, rate factor and trading state of the guards that act on <paramref name="market"/>.</summary>
    public GuardState GuardsFor(string market) => _marketGuards.TryGetValue(market, out var state) ? state : _deskGuards;

    /// <summary>The active guards from outside, as published (for the admin's view of why trading is restricted).</summary>
    public IReadOnlyList<TradingGuardChanged> ActiveGuards
    {
        get { lock (_guardGate) return _guards.Values.OrderBy(g => g.Time).ToList(); }
    }

    /// <summary>The strictest of the policy's state and the desk-wide guards' (a battery's guards restrict its own markets only).</summary>
    public TradingState TradingState => Stricter(_policy.TradingState, _deskGuards.State);

    /// <summary>The strictest of the policy's state and the state of every guard that acts on <paramref name="market"/>.</summary>
    public TradingState TradingStateOf(string market) => Stricter(_policy.TradingState, GuardsFor(market).State);

    private static TradingState Stricter(TradingState a, TradingState b) => (TradingState)Math.Max((int)a, (int)b);

    public void Apply(RiskPolicy policy) => _policy = policy;

    public void Apply(TradingGuardChanged change)
    {
        lock (_guardGate)
        {
            if (change.Active) _guards[(change.Source, change.Name)] = change;
            else _guards.Remove((change.Source, change.Name));
            _deskGuards = GuardState.Of(_guards.Values.Where(g => g.Markets is null));
            _marketGuards = _throttles.Keys.ToDictionary(m => m, m => GuardState.Of(_guards.Values.Where(g => g.AppliesTo(m))), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Pre-trade checks, in the order a trader would ask: may we trade at all, is this side allowed,
    /// are we sending too fast, is the order too big, is the price sane, and where would it leave us —
    /// in the worst case, where every open order on its side fills too.
    /// </summary>
    public (RejectReason Reason, string? Message) Check(MarketSpec spec, in OrderIntent order, Position position, decimal? mark, DateTimeOffset now, RestingOrders resting = default)
    {
        var policy = _policy;
        var guards = GuardsFor(spec.Id);
        var limits = policy.For(spec.Id);
        var quantity = spec.Quantity(order.Lots);
        var signed = order.Side == OrderSide.Buy ? order.Lots : -order.Lots;
        var sameSide = order.Lots + resting.SameSideLots; // this order and every open one on its side
        var reduces = position.NetLots != 0 && Math.Sign(signed) != Math.Sign(position.NetLots) && sameSide <= Math.Abs(position.NetLots);

        var state = Stricter(policy.TradingState, guards.State);
        var side = SideCheck(spec, order.Side, position.NetLots, sameSide, guards, state);
        if (side.Reason != RejectReason.None) return side;
        if (state == TradingState.Reducing && !reduces) return Reducing(spec, position.NetLots); // the right side, but it would flip the position

        var factor = guards.RateFactor;
        var throttle = _throttles[spec.Id];
        if (!throttle.TryTakeMarket(now, limits.SubmitRatePerSecond * factor, Math.Max(1, (int)(limits.SubmitBurst * factor))))
            return (RejectReason.RateLimited, $"{spec.Id} accepts at most {limits.SubmitRatePerSecond * factor:0.##} orders/s{RateNote(factor)}; slow down.");
        if (!throttle.TryTakeKey(order.Account, now, limits.KeyRatePerSecond * factor, Math.Max(1, (int)(limits.KeyBurst * factor))))
            return (RejectReason.RateLimited, $"Key '{order.Account}' may send at most {limits.KeyRatePerSecond * factor:0.##} orders/s to {spec.Id}{RateNote(factor)}.");

        if (resting.AccountOpenOrders >= limits.MaxOpenOrders)
            return (RejectReason.MaxOpenOrders, $"Key '{order.Account}' already has {resting.AccountOpenOrders} open orders in {spec.Id} (limit {limits.MaxOpenOrders}); cancel some first.");

        var limitPrice = order.PriceTicks is { } ticks ? spec.Price(ticks) : (decimal?)null;
        var own = PerOrderLimits(spec, quantity, limitPrice, mark);
        if (own.Reason != RejectReason.None) return own;
        var price = limitPrice ?? mark;
        var feasible = Feasible(spec, order.Side, order.Account, quantity, now);
        if (feasible.Reason != RejectReason.None) return feasible;

        if (!reduces)
        {
            var worstLots = Math.Abs(position.NetLots + Math.Sign(signed) * sameSide);
            var energy = spec.Energy(worstLots);
            // The sentence is written only for a denial: an accepted order allocates no text here.
            var orderSide = order.Side;
            string WithResting() => resting.SameSideLots > 0 ? $" if it and the open {Codes.Of(orderSide)} orders ({spec.Quantity(resting.SameSideLots)} MW) all fill" : "";
            if (energy > limits.MaxExposureMwh)
                return (RejectReason.MaxExposureEnergy, $"The {spec.Id} position would reach {energy} MWh{WithResting()}, above the {limits.MaxExposureMwh} MWh limit.");
            if (price is { } q && Math.Abs(q) * energy > limits.MaxExposureEur)
                return (RejectReason.MaxExposureNotional, $"The {spec.Id} exposure would reach {Math.Abs(q) * energy:#,0} EUR{WithResting()}, above the {limits.MaxExposureEur:#,0} EUR limit.");
        }
        return (RejectReason.None, null);
    }

    /// <summary>The battery's envelope per market (BESS module), checked for the accounts whose orders move the battery.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SocEnvelopeChanged> _envelopes = new(StringComparer.Ordinal);
    private Func<string, bool> _isDesksOwn = _ => false;

    /// <param name="isDesksOwn">Whether an account is one the desk uses itself (for the envelope's "*").</param>
    public void Apply(SocEnvelopeChanged envelope, Func<string, bool> isDesksOwn)
    {
        _isDesksOwn = isDesksOwn;
        _envelopes[envelope.Market] = envelope;
    }

    public SocEnvelopeChanged? Envelope(string market) => _envelopes.GetValueOrDefault(market);

    /// <summary>
    /// Whether the battery can deliver the order in the period it delivers in (the market's next
    /// product period): selling needs the energy above the SoC floor, buying the room below the ceiling.
    /// </summary>
    public (RejectReason Reason, string? Message) Feasible(MarketSpec spec, OrderSide side, string account, decimal quantity, DateTimeOffset now)
    {
        if (!_envelopes.TryGetValue(spec.Id, out var envelope) || !envelope.Applies(account, _isDesksOwn) || envelope.DeliveryPeriod(now) is not { } period)
            return (RejectReason.None, null);
        string When() => $"{period.Start:HH:mm}–{period.End:HH:mm}";
        if (side == OrderSide.Sell && quantity > period.MaxSellMw)
            return (RejectReason.InfeasibleSoc, $"selling {quantity} MW in {When()} needs {(double)quantity * period.SellMwhPerMw:0.00} MWh; "
                + $"{period.AvailableDischargeMwh:0.00} MWh available above the {envelope.FloorPercent:0.#} % floor (at most {period.MaxSellMw} MW).");
        if (side == OrderSide.Buy && quantity > period.MaxBuyMw)
            return (RejectReason.InfeasibleSoc, $"buying {quantity} MW in {When()} needs {(double)quantity * period.BuyMwhPerMw:0.00} MWh of room; "
                + $"{period.AvailableChargeMwh:0.00} MWh free below the {envelope.CeilingPercent:0.#} % ceiling (at most {period.MaxBuyMw} MW).");
        return (RejectReason.None, null);
    }

    /// <summary>
    /// Whether a side may trade now: halted (policy or guard), reducing (only the side that reduces
    /// the position), or blocked by a guard that acts on the market. A side guard never refuses an
    /// order that only closes part of the position (<paramref name="lots"/> within it; null: some
    /// such order, as the order ticket asks): selling back a long asks nothing of a nearly empty
    /// battery, and closing a hedge must stay possible whatever the battery's state. Physical
    /// delivery is still checked by the feasibility envelope.
    /// </summary>
    public (RejectReason Reason, string? Message) SideCheck(MarketSpec spec, OrderSide side, long netLots, long? lots = null)
    {
        var guards = GuardsFor(spec.Id);
        return SideCheck(spec, side, netLots, lots, guards, Stricter(_policy.TradingState, guards.State));
    }

    // The order path passes the market's guards and state it has already read: one lookup per order.
    private (RejectReason Reason, string? Message) SideCheck(MarketSpec spec, OrderSide side, long netLots, long? lots, GuardState guards, TradingState state)
    {
        if (state == TradingState.Halted)
            return (RejectReason.TradingHalted, $"Trading is halted by {RestrictedBy(spec.Id)}; only cancels are accepted.");
        var reducingSide = netLots != 0 && (side == OrderSide.Buy ? netLots < 0 : netLots > 0);
        if (state == TradingState.Reducing && !reducingSide) return Reducing(spec, netLots);
        var closes = reducingSide && (lots is not { } n || n <= Math.Abs(netLots));
        if (guards.Blocking(side) is { } guard && !closes)
            return (RejectReason.SideBlocked, guard.Explanation);
        return (RejectReason.None, null);
    }

    /// <summary>
    /// The limits an order's own numbers decide, in the engine's order: size, notional (at the limit
    /// price, else the mark) and distance from the mark. The order ticket checks these before sending.
    /// </summary>
    public (RejectReason Reason, string? Message) PerOrderLimits(MarketSpec spec, decimal quantity, decimal? limitPrice, decimal? mark)
    {
        var limits = _policy.For(spec.Id);
        if (quantity > limits.MaxOrderMw)
            return (RejectReason.MaxOrderSize, $"{quantity} MW exceeds the {spec.Id} limit of {limits.MaxOrderMw} MW per order.");
        var energy = quantity * spec.ProductHours;
        if ((limitPrice ?? mark) is { } p && Math.Abs(p) * energy > limits.MaxOrderNotionalEur)
            return (RejectReason.MaxOrderNotional, $"Notional {Math.Abs(p) * energy:#,0.00} EUR exceeds the {spec.Id} limit of {limits.MaxOrderNotionalEur:#,0} EUR per order.");
        if (limitPrice is { } limit && mark is { } m && Math.Abs(limit - m) > limits.PriceBandEur)
            return (RejectReason.PriceBand, $"Price {limit} is more than {limits.PriceBandEur} EUR/MWh away from the mark {m}.");
        return (RejectReason.None, null);
    }

    private (RejectReason, string?) Reducing(MarketSpec spec, long netLots) =>
        (RejectReason.ReducingOnly, $"Trading is in reducing mode ({RestrictedBy(spec.Id)}): only orders that reduce the {spec.Id} position ({spec.Quantity(netLots)} MW) are accepted.");

    /// <summary>"the risk policy", or the guard that makes the market's state stricter than the policy's.</summary>
    private string RestrictedBy(string market)
    {
        var guards = GuardsFor(market);
        return guards.State > _policy.TradingState && guards.Restricting is { } g ? $"{g.Source}: {g.Reason}" : "the risk policy";
    }

    private static string RateNote(double factor) => factor < 1 ? $" (reduced to {factor:P0} by an active guard)" : "";
}
