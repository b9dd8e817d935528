using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Strategies.FlashArb.Cycle;

/// <summary>A leg's touch and the rules its quantities follow (the largest order the venue takes, MW).</summary>
public sealed record LegQuote(decimal? Bid, decimal? Ask, decimal ProductHours, decimal Lot, decimal MaxOrderMw = 1_000_000_000m);

/// <summary>What an immediate order on a leg did: the quantity filled (MW) and its average price.</summary>
public sealed record LegFill(decimal Quantity, decimal? AveragePrice, string? Problem)
{
    public static readonly LegFill None = new(0, null, null);
}

/// <summary>One order of a cycle as journalled: sent (no fill yet) or answered (what filled, at what average).</summary>
public sealed record CycleLegRecord(string ClientOrderId, string Venue, OrderSide Side, decimal Quantity, decimal? Filled, decimal? AveragePrice);

/// <summary>Where a cycle writes down, before and after each step, what a restart must know.</summary>
public interface ICycleJournal
{
    ValueTask Opened(long cycle);

    ValueTask LegSent(long cycle, CycleLegRecord leg);

    ValueTask LegDone(long cycle, CycleLegRecord leg);
}

/// <summary>One venue of the cycle (the power leg or the futures leg): its quote and immediate orders.</summary>
public interface ILeg
{
    string Name { get; }

    Task<LegQuote?> Quote(CancellationToken ct);

    /// <summary>An IOC: at <paramref name="limit"/> or better, or at the market when null.</summary>
    Task<LegFill> Trade(OrderSide side, decimal quantity, decimal? limit, string clientOrderId, CancellationToken ct);
}

/// <summary>The simulated adapter: a market of this desk, traded through the bus (risk engine, journal) under the strategy's account.</summary>
public sealed class DeskLeg(IBus bus, string market, string account) : ILeg
{
    public string Name => market;

    public async Task<LegQuote?> Quote(CancellationToken ct) =>
        await bus.Send(new GetMarketInfo(market), ct) is { } info ? new LegQuote(info.BestBid, info.BestAsk, info.ProductHours, info.Lot, info.MaxOrderMw) : null;

    public async Task<LegFill> Trade(OrderSide side, decimal quantity, decimal? limit, string clientOrderId, CancellationToken ct)
    {
        var result = await bus.Send(new SubmitOrder(market, side, quantity, limit, limit is null ? OrderType.Market : OrderType.Limit, TimeInForce.Ioc, account, clientOrderId), ct);
        return new LegFill(result.FilledQuantity, result.AveragePrice, result.Accepted ? null : $"{Codes.Of(result.Reason)}: {result.Message}");
    }
}
