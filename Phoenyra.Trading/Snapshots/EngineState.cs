using Phoenyra.Core.Contracts;
using Phoenyra.Trading.MarketData;

namespace Phoenyra.Trading.Snapshots;

/// <summary>
/// Everything a market's engine rebuilds from the journal, as of one journal position: orders (the
/// open ones with their fills, the book's queue order), the recent closed orders and trades, the
/// desk's and each account's position, and the price statistics. Restoring it and replaying the
/// journal after that position gives exactly what a full replay gives.
/// </summary>
internal sealed record EngineState(
    string Market,
    IReadOnlyList<OrderStateData> Open,
    IReadOnlyList<long> BidQueue,
    IReadOnlyList<long> AskQueue,
    IReadOnlyList<OrderView> Closed,
    IReadOnlyList<Trade> Trades,
    PositionData Position,
    IReadOnlyDictionary<string, PositionData> Accounts,
    MarketDataData Prices);

internal sealed record OrderStateData(
    long Id, string Account, OrderSide Side, OrderType Type, TimeInForce TimeInForce, long? Price, long Quantity, string? ClientOrderId,
    DateTimeOffset Created, long Filled, decimal FilledNotionalTicks, OrderStatus Status, RejectReason Reason, DateTimeOffset Updated);

internal sealed record PositionData(long NetLots, decimal AveragePrice, decimal RealizedPnl);

internal sealed record MarketDataData(
    decimal? LastTrade, DateTimeOffset? LastTradeTime, decimal? Ema, long PriceEvents,
    IReadOnlyList<VwapEntry> Window, IReadOnlyList<Bar> MinuteBars, IReadOnlyList<Bar> QuarterBars);

/// <summary>One second of the VWAP window (<paramref name="Time"/> its start): its trades' notional and volume.</summary>
internal sealed record VwapEntry(DateTimeOffset Time, decimal Notional, decimal Volume);

/// <summary>All markets' states as of a journal position (the last block it covers), with the highest ids seen.</summary>
internal sealed record DeskState(long BlockSeq, long MaxOrderId, long MaxTradeId, long Records, DateTimeOffset TakenUtc, IReadOnlyList<EngineState> Engines);
