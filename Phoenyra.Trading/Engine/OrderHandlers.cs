using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Engine;

/// <summary>Routes order commands to their market's engine; answers once the journal has them.</summary>
internal sealed class OrderHandlers(Exchange exchange) : ICommandHandler<SubmitOrder, OrderResult>, ICommandHandler<CancelOrder, OrderResult>
{
    public ValueTask<OrderResult> Handle(SubmitOrder command, CancellationToken cancellationToken) =>
        new(exchange.TryGet(command.Market, out var engine)
            ? engine.Submit(command)
            : Task.FromResult(new OrderResult(null, command.Market, OrderStatus.Rejected, RejectReason.UnknownMarket, $"No market '{command.Market}'.", command.Quantity, 0, null, [])));

    public async ValueTask<OrderResult> Handle(CancelOrder command, CancellationToken cancellationToken)
    {
        OrderResult? unknown = null;
        foreach (var engine in exchange.Engines)
        {
            var result = await engine.Cancel(command);
            if (result.Reason != RejectReason.UnknownOrder) return result;
            unknown = result;
        }
        return unknown ?? new OrderResult(command.OrderId, "", OrderStatus.Rejected, RejectReason.UnknownOrder, $"No order {command.OrderId}.", 0, 0, null, []);
    }
}

/// <summary>
/// Field checks before an order reaches any engine: each failure names the field, so REST can
/// answer 400 and nothing touches a book or the journal.
/// </summary>
internal sealed class SubmitOrderValidator(Microsoft.Extensions.Options.IOptions<TradingOptions> options) : IValidator<SubmitOrder>
{
    private readonly Dictionary<string, MarketSpec> _markets = options.Value.Specs().ToDictionary(s => s.Id, StringComparer.Ordinal);

    /// <summary>No order is larger (a whole country's load is well below it); the risk policy's per-market limit is usually far lower.</summary>
    public const decimal MaxQuantityMw = 1_000_000m;

    public IEnumerable<ValidationError> Validate(SubmitOrder order)
    {
        if (!_markets.TryGetValue(order.Market ?? "", out var spec))
        {
            yield return new ValidationError("market", $"'{order.Market}' is not a market here; use one of {string.Join(", ", _markets.Keys)}");
            yield break;
        }
        if (!Enum.IsDefined(order.Side)) yield return new ValidationError("side", "must be buy or sell");
        if (!Enum.IsDefined(order.Type)) yield return new ValidationError("type", "must be limit or market");
        if (!Enum.IsDefined(order.TimeInForce)) yield return new ValidationError("tif", "must be gtc, ioc or fok");
        if (order.Quantity <= 0) yield return new ValidationError("quantity", "must be greater than 0 MW");
        else if (order.Quantity > MaxQuantityMw) yield return new ValidationError("quantity", $"must be at most {MaxQuantityMw:N0} MW");
        else if (!spec.TryLots(order.Quantity, out _)) yield return new ValidationError("quantity", $"must be a multiple of the lot, {spec.Lot} MW");
        if (order.Type == OrderType.Market)
        {
            if (order.Price is not null) yield return new ValidationError("price", "must be omitted for a market order");
            if (order.TimeInForce == TimeInForce.Gtc) yield return new ValidationError("tif", "a market order cannot rest; use ioc or fok");
        }
        else if (order.Price is not { } price) yield return new ValidationError("price", "is required for a limit order");
        else if (price < spec.MinPrice || price > spec.MaxPrice) yield return new ValidationError("price", $"must be within {spec.MinPrice}..{spec.MaxPrice} {spec.Currency}/MWh");
        else if (!spec.TryTicks(price, out _)) yield return new ValidationError("price", $"must be a multiple of the tick, {spec.Tick} {spec.Currency}/MWh");
        if (order.PostOnly && (order.Type != OrderType.Limit || order.TimeInForce != TimeInForce.Gtc))
            yield return new ValidationError("post_only", "needs a GTC limit order (an order that may not trade on arrival has to rest)");
        if (order.ReduceOnly && order.TimeInForce == TimeInForce.Gtc)
            yield return new ValidationError("reduce_only", "needs an IOC or FOK order (a resting order cannot know the position it will meet)");
        if (order.ClientOrderId is { } id && (id.Length > 64 || id.Any(c => c is < ' ' or > '~')))
            yield return new ValidationError("client_order_id", "must be at most 64 printable ASCII characters");
    }
}
