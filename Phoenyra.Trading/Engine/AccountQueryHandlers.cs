using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.History;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// Answers clients that trade through the bus (strategies): a market's rules and limits, and an
/// account's fills (from the trade history, an index of the journal) and open orders, so a client recovers after a restart.
/// </summary>
internal sealed class AccountQueryHandlers(Exchange exchange, RiskEngine risk, TradeHistory history)
    : ICommandHandler<GetMarketInfo, MarketInfo?>, ICommandHandler<GetAccountActivity, AccountActivity>, ICommandHandler<GetOpenOrders, IReadOnlyList<OrderView>>
{
    public async ValueTask<IReadOnlyList<OrderView>> Handle(GetOpenOrders query, CancellationToken cancellationToken)
    {
        var orders = new List<OrderView>();
        foreach (var engine in exchange.Engines)
            orders.AddRange((await engine.Query(q => q.Orders(OrderFilter.Open)).ConfigureAwait(false)).Where(o => o.Account == query.Account));
        return orders.OrderByDescending(o => o.Id).ToList();
    }

    public ValueTask<MarketInfo?> Handle(GetMarketInfo query, CancellationToken cancellationToken)
    {
        if (!exchange.TryGet(query.Market, out var engine)) return new((MarketInfo?)null);
        var spec = engine.Spec;
        var snapshot = engine.Snapshot;
        var limits = risk.Policy.For(spec.Id);
        return new(new MarketInfo(spec.Id, spec.Currency, spec.Tick, spec.Lot, spec.ProductHours,
            limits.MaxExposureEur, snapshot.BestBid, snapshot.BestAsk, snapshot.Mark, limits.MaxOrderMw));
    }

    public async ValueTask<AccountActivity> Handle(GetAccountActivity query, CancellationToken cancellationToken)
    {
        if (!exchange.TryGet(query.Market, out var engine)) return new AccountActivity([], []);
        var fills = history.AccountFills(query.Account, engine.Spec);
        var open = await engine.Query(q => q.Orders(OrderFilter.Open)).ConfigureAwait(false);
        return new AccountActivity(open.Where(o => o.Account == query.Account).ToList(), fills);
    }
}
