using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// Answers clients that trade through the bus (strategies): a market's rules and limits, and an
/// account's fills and open orders rebuilt from the journal, so a client recovers after a restart.
/// </summary>
internal sealed class AccountQueryHandlers(Exchange exchange, RiskEngine risk, TradeJournal journal)
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
        var spec = engine.Spec;
        var orders = new Dictionary<long, OrderAcceptedRecord>();
        var fills = new List<AccountFill>();
        foreach (var record in journal.ReadAll())
        {
            if (record.Market != query.Market) continue;
            if (record is OrderAcceptedRecord accepted && accepted.Account == query.Account) orders[accepted.Id] = accepted;
            if (record is not FillRecord fill) continue;
            if (fill.TakerAccount == query.Account && orders.TryGetValue(fill.TakerId, out var taker))
                fills.Add(new AccountFill(fill.TradeId, taker.Id, taker.ClientOrderId, taker.Side, spec.Price(fill.Price), spec.Quantity(fill.Quantity), false, fill.Time));
            if (fill.MakerAccount == query.Account && orders.TryGetValue(fill.MakerId, out var maker))
                fills.Add(new AccountFill(fill.TradeId, maker.Id, maker.ClientOrderId, maker.Side, spec.Price(fill.Price), spec.Quantity(fill.Quantity), true, fill.Time));
        }
        var open = await engine.Query(q => q.Orders(OrderFilter.Open)).ConfigureAwait(false);
        return new AccountActivity(open.Where(o => o.Account == query.Account).ToList(), fills);
    }
}
