using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.History;
using Phoenyra.Trading.MarketData;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Positions;
using Phoenyra.Trading.Prices;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading;

/// <summary>
/// What the dashboard reads from the engines: markets, snapshots, open orders, trades, depth, bars,
/// positions and the guards in force. Orders go through the bus (<see cref="SubmitOrder"/>) like any client's.
/// </summary>
public sealed class TradingDesk
{
    private readonly Exchange _exchange;
    private readonly RiskEngine _risk;
    private readonly TimeProvider _time;
    private readonly Portfolio _portfolio;
    private readonly PriceHistory _prices;
    private readonly MarkHistory _marks;
    private readonly OrderHistoryStore _history;
    private readonly DeskKillSwitch _kill;

    internal TradingDesk(Exchange exchange, RiskEngine risk, Portfolio portfolio, PriceHistory prices, MarkHistory marks, OrderHistoryStore history, DeskKillSwitch kill, TimeProvider time)
    {
        _time = time;
        _kill = kill;
        _history = history;
        _marks = marks;
        _prices = prices;
        _exchange = exchange;
        _risk = risk;
        _portfolio = portfolio;
        Markets = exchange.Engines.Select(e => e.Spec).ToList();
    }

    public IReadOnlyList<MarketSpec> Markets { get; }

    public MarketSpec? Market(string id) => _exchange.TryGet(id, out var engine) ? engine.Spec : null;

    public MarketSnapshot Snapshot(string market) => Engine(market).Snapshot;

    /// <summary>The latest reference prices of a market (demo source, CSV replay or venue), oldest first.</summary>
    public IReadOnlyList<ReferencePriceUpdated> ReferencePrices(string market) => _prices.Recent(market);

    /// <summary>The last 15 minutes of the market's mark, EMA and VWAP, a sample a second, oldest first.</summary>
    public IReadOnlyList<MarkSample> MarkHistory(string market) => _marks.Recent(market);

    public IReadOnlyList<PositionView> Positions => _portfolio.Positions;

    /// <summary>Desk PnL and exposure over every market.</summary>
    public PortfolioTotals Totals => _portfolio.Totals;

    /// <summary>
    /// The risk engine's own per-order checks (size, notional, distance from the mark), for a ticket
    /// to show before sending: the reason code and sentence the engine would answer, or None.
    /// </summary>
    public (RejectReason Reason, string? Message) CheckOrderLimits(string market, decimal quantity, decimal? limitPrice) =>
        _risk.PerOrderLimits(Engine(market).Spec, quantity, limitPrice, Snapshot(market).Mark);

    /// <summary>Whether the battery could deliver the order now (its feasibility envelope, for the accounts that move it); the engine's own check.</summary>
    public (RejectReason Reason, string? Message) CheckFeasible(string market, OrderSide side, decimal quantity, string account) =>
        _risk.Feasible(Engine(market).Spec, side, account, quantity, _time.GetUtcNow());

    /// <summary>
    /// Whether a side may trade now (halted, reducing the desk's position, a guard); the engine's own
    /// check. By default an order that closes part of the position counts (a side guard lets it
    /// through); <paramref name="opening"/> asks for an order that opens or adds, as a strategy's quotes do.
    /// </summary>
    public (RejectReason Reason, string? Message) SideCheck(string market, OrderSide side, bool opening = false) =>
        _risk.SideCheck(Engine(market).Spec, side, _portfolio.For(market).NetLots, opening ? long.MaxValue : null);

    /// <summary>The desk kill switch: on or off, since when, by whom, why.</summary>
    public DeskHaltState DeskHalt => _kill.State;

    /// <summary>Halts the desk and cancels every open order of every account (admin; audited).</summary>
    public Task<DeskHaltResult> HaltDesk(string actor, string reason) => _kill.Halt(actor, reason);

    /// <summary>Lifts the desk kill switch (admin; audited).</summary>
    public Task<DeskHaltState> ResumeDesk(string actor, string reason) => _kill.Resume(actor, reason);

    /// <summary>The strictest of the policy's trading state and the desk-wide guards': what the risk engine enforces on every market.</summary>
    public TradingState TradingState => _risk.TradingState;

    /// <summary>What the risk engine enforces on <paramref name="market"/>: the policy's state and every guard that acts there.</summary>
    public TradingState TradingStateOf(string market) => _risk.TradingStateOf(market);

    /// <summary>BUY/SELL blocks, rate factor and trading state of the guards that act on <paramref name="market"/> (BESS on its site's markets, desk-wide ones).</summary>
    public GuardState Guards(string market) => _risk.GuardsFor(market);

    /// <summary>Open orders of every account, newest first (the simulated market maker's quotes are not orders).</summary>
    public async Task<IReadOnlyList<OrderView>> OpenOrders()
    {
        var orders = new List<OrderView>();
        foreach (var engine in _exchange.Engines)
            orders.AddRange(await engine.Query(e => e.Orders(OrderFilter.Open)).ConfigureAwait(false));
        return orders.OrderByDescending(o => o.Id).ToList();
    }

    /// <summary>The newest trades over every market, of one account when given (the auto-trader's, a strategy's).</summary>
    public async Task<IReadOnlyList<Trade>> RecentTrades(int count, string? account = null)
    {
        var trades = new List<Trade>();
        foreach (var engine in _exchange.Engines)
            trades.AddRange(await engine.Query(e => e.Trades(null, count, account)).ConfigureAwait(false));
        return trades.OrderByDescending(t => t.Id).Take(count).ToList();
    }

    /// <summary>Positions per account over every market (of one account when given), valued at each market's mark.</summary>
    public async Task<IReadOnlyList<AccountPositionView>> AccountPositions(string? account = null)
    {
        var positions = new List<AccountPositionView>();
        foreach (var engine in _exchange.Engines)
            positions.AddRange(await engine.Query(e => e.AccountPositions(account)).ConfigureAwait(false));
        return positions;
    }

    /// <summary>The order history from the store: every order's latest state and the refusals with their reasons.</summary>
    public IReadOnlyList<OrderHistoryRow> OrderHistory(OrderHistoryQuery query) => _history.Page(query);

    public Task<BookDepth> Depth(string market, int levels) => Engine(market).Query(e => e.Depth(levels));

    public async Task<IReadOnlyList<Bar>> QuarterBars(string market, int count) =>
        (await Engine(market).Query(e => e.Bars(count)).ConfigureAwait(false)).Quarter;

    private MatchingEngine Engine(string market) =>
        _exchange.TryGet(market, out var engine) ? engine : throw new ArgumentException($"No market '{market}'.", nameof(market));
}
