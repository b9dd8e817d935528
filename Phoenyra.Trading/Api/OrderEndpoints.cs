using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Http;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Security;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.History;

namespace Phoenyra.Trading.Api;

/// <summary>Orders and trades over REST; the caller's key id is the order account.</summary>
internal static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Trading");

        api.MapPost("/orders", async (OrderRequest body, IBus bus, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var (order, errors) = body.ToCommand(user.KeyId());
            if (order is null) return Problems.Invalid(errors);
            var result = await bus.Send(order, ct);
            return result.Status == OrderStatus.Rejected ? Rejected(result) : Results.Ok(Answer(result));
        }).RequireAuthorization(Policies.Trader).WithMetadata(new RequestSizeLimit(16 * 1024))
          .WithSummary("Submit an order").WithDescription("Limit or market order; answers after the journal has it, with any fills.");

        api.MapDelete("/orders/{id:long}", async (long id, IBus bus, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var result = await bus.Send(new CancelOrder(id, user.KeyId(), Override: user.IsAdmin()), ct);
            return result.Reason switch
            {
                RejectReason.None => Results.Ok(Answer(result)),
                RejectReason.UnknownOrder => Results.Problem(detail: result.Message, statusCode: 404, title: "Unknown order", extensions: Extensions(result)),
                RejectReason.NotOwner => Results.Problem(detail: result.Message, statusCode: 403, title: "Not your order", extensions: Extensions(result)),
                RejectReason.StoreUnavailable => Results.Problem(detail: result.Message, statusCode: 503, title: "Store unavailable", extensions: Extensions(result)),
                _ => Results.Problem(detail: result.Message, statusCode: 409, title: "Order not open", extensions: Extensions(result)),
            };
        }).RequireAuthorization(Policies.Trader).WithSummary("Cancel a resting order");

        api.MapGet("/orders", async (Exchange exchange, string? market, string? status, int? limit) =>
        {
            if (limit is < 1 or > 1000) return Problems.Invalid("limit", "must be between 1 and 1000");
            if (market is not null && !exchange.TryGet(market, out _)) return Problems.Invalid("market", $"'{market}' is not a market here");
            var filter = OrderFilter.Open;
            if (status is not null && !Codes.TryParse(status, out filter)) return Problems.Invalid("status", "must be open, closed or all");
            var orders = new List<OrderView>();
            foreach (var engine in exchange.Engines.Where(e => market is null || e.Spec.Id == market))
                orders.AddRange(await engine.Query(e => e.Orders(filter)));
            return Results.Ok(orders.OrderByDescending(o => o.Id).Take(limit ?? 200));
        }).RequireAuthorization(Policies.Viewer).WithSummary("Orders (open by default; status=closed|all)");

        api.MapGet("/orders/history", (TradingDesk desk, string? market, string? account, string? status, DateTimeOffset? since, DateTimeOffset? until, long? before, int? limit) =>
        {
            if (limit is < 1 or > 1000) return Problems.Invalid("limit", "must be between 1 and 1000");
            if (market is not null && desk.Market(market) is null) return Problems.Invalid("market", $"'{market}' is not a market here");
            if (account is { Length: > 64 }) return Problems.Invalid("account", "must be at most 64 characters");
            OrderStatus? wanted = null;
            if (status is not null)
            {
                if (!Codes.TryParse<OrderStatus>(status, out var parsed)) return Problems.Invalid("status", "must be accepted, partially_filled, filled, cancelled, rejected or expired");
                wanted = parsed;
            }
            if (since is not null && until is not null && until <= since) return Problems.Invalid("until", "must be after since");
            var rows = desk.OrderHistory(new(market, account, wanted, since, until, before, limit ?? 100));
            return Results.Ok(new { orders = rows, next_before = rows.Count > 0 ? rows[^1].Row : (long?)null });
        }).RequireAuthorization(Policies.Viewer).WithSummary("Order history from the store: every order's latest state and refusals with their reason, newest first, paged by next_before");

        api.MapGet("/trades", async (Exchange exchange, TradeHistory history, string? market, string? account, DateTimeOffset? since, DateTimeOffset? until, long? before_id, int? limit) =>
        {
            if (limit is < 1 or > 1000) return Problems.Invalid("limit", "must be between 1 and 1000");
            if (market is not null && !exchange.TryGet(market, out _)) return Problems.Invalid("market", $"'{market}' is not a market here");
            if (since is not null && until is not null && until <= since) return Problems.Invalid("until", "must be after since");
            var query = new TradeHistoryQuery(market, account, since, until, before_id, limit ?? 100);
            var recent = new List<Trade>();
            foreach (var engine in exchange.Engines.Where(e => market is null || e.Spec.Id == market))
                recent.AddRange(await engine.Query(e => e.Trades(before_id, query.Limit, account)));
            var page = TradeHistory.Merge(history.Page(query), recent, query);
            return Results.Ok(new { trades = page, next_before_id = page.Count > 0 ? page[^1].Id : (long?)null });
        }).RequireAuthorization(Policies.Viewer).WithSummary("Every trade from the store (the newest from memory), newest first; filter by market, account (either side), since/until; paged by next_before_id");
    }

    private static object Answer(OrderResult r) => new
    {
        id = r.OrderId,
        status = Codes.Of(r.Status),
        market = r.Market,
        quantity = r.Quantity,
        filled_quantity = r.FilledQuantity,
        average_price = r.AveragePrice,
        reason = r.Reason == RejectReason.None ? null : Codes.Of(r.Reason),
        message = r.Message,
        fills = r.Fills.Select(f => new { trade_id = f.TradeId, price = f.Price, quantity = f.Quantity, time = f.Time }),
    };

    private static Dictionary<string, object?> Extensions(OrderResult r) => new()
    {
        ["reason"] = Codes.Of(r.Reason),
        ["order_status"] = Codes.Of(r.Status),
        ["market"] = r.Market,
        ["order_id"] = r.OrderId,
    };

    /// <summary>A risk or liquidity denial: 422 with the reason code and the engine's sentence.</summary>
    private static IResult Rejected(OrderResult r) =>
        r.Reason == RejectReason.StoreUnavailable
            ? Results.Problem(detail: r.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Store unavailable", extensions: Extensions(r))
            : Results.Problem(detail: r.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Order rejected", extensions: Extensions(r));
}
