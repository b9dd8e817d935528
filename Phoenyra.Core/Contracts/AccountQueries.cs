using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>What a client trading a market needs to know of it: tick, lot, product length, the exposure limit and the touch.</summary>
public sealed record GetMarketInfo(string Market) : ICommand<MarketInfo?>;

/// <summary>A market's rules and the policy's limits in force (exposure in the market's currency, MW per order), with the current best bid/ask and mark.</summary>
public sealed record MarketInfo(
    string Market,
    string Currency,
    decimal Tick,
    decimal Lot,
    decimal ProductHours,
    decimal MaxExposureEur,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Mark,
    decimal MaxOrderMw = 1_000_000_000m);

/// <summary>
/// An account's life in one market, from the journal: every fill with the order it belongs to
/// (so a client can rebuild its inventories and PnL after a restart) and its orders still open.
/// </summary>
public sealed record GetAccountActivity(string Account, string Market) : ICommand<AccountActivity>;

/// <summary>An account's open orders over every market, newest first.</summary>
public sealed record GetOpenOrders(string Account) : ICommand<IReadOnlyList<OrderView>>;

public sealed record AccountActivity(IReadOnlyList<OrderView> OpenOrders, IReadOnlyList<AccountFill> Fills);

/// <summary>One fill of one of the account's orders, oldest first in <see cref="AccountActivity.Fills"/>.</summary>
public sealed record AccountFill(long TradeId, long OrderId, string? ClientOrderId, OrderSide Side, decimal Price, decimal Quantity, bool Maker, DateTimeOffset Time);
