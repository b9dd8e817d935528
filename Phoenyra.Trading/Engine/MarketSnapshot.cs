using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Engine;

/// <summary>An immutable view of a market after the last command its loop processed.</summary>
public sealed record MarketSnapshot(
    string Market,
    decimal? Mark,
    decimal? Ema,
    decimal? Vwap,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Reference,
    decimal? LastTrade,
    long PriceEvents,
    PositionView Position,
    int RestingOrders,
    DateTimeOffset Time,
    MarkSource MarkSource = MarkSource.None,
    DateTimeOffset? LastTradeTime = null);

/// <summary>One side's aggregated depth: price and total MW, best first.</summary>
public sealed record DepthLevel(decimal Price, decimal Quantity, int Orders);

public sealed record BookDepth(string Market, IReadOnlyList<DepthLevel> Bids, IReadOnlyList<DepthLevel> Asks);
