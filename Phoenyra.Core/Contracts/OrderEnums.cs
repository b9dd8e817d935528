namespace Phoenyra.Core.Contracts;

public enum OrderSide { Buy, Sell }

public enum OrderType { Limit, Market }

/// <summary>Good till cancelled, immediate or cancel, fill or kill.</summary>
public enum TimeInForce { Gtc, Ioc, Fok }

public enum OrderStatus { Accepted, PartiallyFilled, Filled, Cancelled, Rejected, Expired }

public enum TradingState { Active, Reducing, Halted }

/// <summary>Which orders a query returns: still open, ended, or both.</summary>
public enum OrderFilter { Open, Closed, All }

/// <summary>Why an order was refused or ended early. Stable codes: clients and dashboards key on them.</summary>
public enum RejectReason
{
    None,
    UnknownMarket,
    InvalidQuantity,
    InvalidPrice,
    PriceOffTick,
    QuantityOffLot,
    PriceOutOfLimits,
    MaxOrderSize,
    MaxOrderNotional,
    PriceBand,
    MaxExposureEnergy,
    MaxExposureNotional,
    RateLimited,
    TradingHalted,
    ReducingOnly,
    SideBlocked,
    FokNotFillable,
    NoLiquidity,
    SelfTradePrevented,
    UnknownOrder,
    NotOwner,
    AlreadyClosed,
    PostOnlyWouldCross,
    ReduceOnlyWouldIncrease,
    MaxOpenOrders,
    StoreUnavailable,
    InfeasibleSoc,
}

public static class OrderStatusExtensions
{
    public static bool IsOpen(this OrderStatus status) => status is OrderStatus.Accepted or OrderStatus.PartiallyFilled;
}
