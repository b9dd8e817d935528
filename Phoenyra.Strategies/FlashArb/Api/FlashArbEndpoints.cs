using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Http;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Security;
using Phoenyra.Core.Settings;

namespace Phoenyra.Strategies.FlashArb.Api;

/// <summary>
/// Document 002's endpoints behind a key (<c>/pnl</c>, <c>/trades</c>, <c>/orders/open</c>) and the
/// control plane (<c>/api/flash-arb/start|stop|status|diagnostics</c>: trader role, 10 calls a minute
/// per key, every call audited).
/// </summary>
internal static class FlashArbEndpoints
{
    public sealed record StartRequest(Dictionary<string, JsonElement>? Overrides);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var seed = endpoints.MapGroup("").WithTags("Flash arb").RequireAuthorization(Policies.Viewer);
        // The seed's control panel lived at /ui; here it is the dashboard's Flash Arb page.
        endpoints.MapGet("/ui", () => Results.Redirect("/flash-arb")).AllowAnonymous().ExcludeFromDescription();
        seed.MapGet("/pnl", (FlashArbDesk desk) => WithView(desk, v => Results.Ok(new
        {
            positive = v.PnlPositive, negative = v.PnlNegative, net = v.PnlNet, daily_net = v.DailyNetPnl, currency = "GBP",
        }))).WithSummary("Flash-arb PnL: the sum of profitable and of losing cycles, and net (GBP)");
        seed.MapGet("/trades", (FlashArbDesk desk, int? limit) =>
        {
            if (limit is < 1 or > 500) return Problems.Invalid("limit", "must be between 1 and 500");
            return WithView(desk, v =>
            {
                var trades = v.Cycles.Where(c => c.Legs.Count > 0).Take(limit ?? 50).ToList();
                return Results.Ok(new { trades, count = trades.Count });
            });
        }).WithSummary("Flash-arb cycles that traded, newest first, with both legs, the loan transaction and the profit");
        seed.MapGet("/orders/open", async (FlashArbDesk desk) =>
        {
            if (desk.Id is null) return NoOrchestrator();
            var orders = await desk.OpenOrders();
            return Results.Ok(new { orders, count = orders.Count });
        }).WithSummary("The orchestrator's open orders (its legs are IOC: normally none)");

        var control = endpoints.MapGroup("/api/flash-arb").WithTags("Flash arb").RequireAuthorization(Policies.Trader)
            .RequireRateLimiting(Policies.ControlPlaneRate).WithMetadata(new RequestSizeLimit(4 * 1024));
        control.MapGet("/status", async (FlashArbDesk desk, ClaimsPrincipal user, IAuditLog audit) =>
        {
            await audit.Record(user.KeyId(), "flash_arb.status", null, null, "ok");
            return desk.Status is { } status ? Results.Ok(status) : desk.Id is null ? NoOrchestrator() : CannotRun(desk);
        }).WithSummary("Running or not, restarts, last error and success, guards, parameters, recent cycles");
        control.MapPost("/start", async (StartRequest? body, FlashArbDesk desk, ClaimsPrincipal user) =>
        {
            if (desk.Id is null) return NoOrchestrator();
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in body?.Overrides ?? [])
            {
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    return Problems.Invalid($"overrides.{key}", "must be a string, number or boolean");
                overrides[key] = value.ValueKind switch { JsonValueKind.True => "1", JsonValueKind.False => "0", JsonValueKind.String => value.GetString()!, _ => value.GetRawText() };
            }
            var (result, errors, needsAdmin) = await desk.Start(overrides, user.KeyId(), user.HasAtLeast(Role.Admin));
            if (needsAdmin)
                return Problems.Forbidden(errors.Select(e => new ValidationError($"overrides.{e.Key}", $"{e.Problem}; {e.Fix}")), "A trader may only tighten risk limits; nothing changed.");
            if (errors.Count > 0)
                return Problems.Invalid(errors.Select(e => new ValidationError($"overrides.{e.Key}", $"{e.Problem}; {e.Fix}")), "The overrides were refused; nothing changed.");
            if (result is null) return CannotRun(desk);
            return result.Ok ? Results.Ok(new { status = "started", state = Codes.Of(result.Status.State), overrides })
                : Results.Problem(detail: result.Problem, statusCode: 409, title: "Refused");
        }).WithSummary("Start the orchestrator, optionally with overrides of strategy parameters (checked like the settings)");
        control.MapPost("/stop", async (FlashArbDesk desk, ClaimsPrincipal user) =>
        {
            if (desk.Id is null) return NoOrchestrator();
            return await desk.Stop(user.KeyId()) is { } result ? Results.Ok(new { status = "stopped", state = Codes.Of(result.Status.State) }) : CannotRun(desk);
        }).WithSummary("Stop the orchestrator after the cycle in flight");
        control.MapPost("/diagnostics", async (FlashArbDesk desk, ClaimsPrincipal user) => Results.Ok(await desk.Diagnostics(user.KeyId())))
            .WithSummary("The settings report (names, never secrets) and connectivity to each configured endpoint");
    }

    private static IResult CannotRun(FlashArbDesk desk) => Results.Problem(detail: desk.Problem, statusCode: 409, title: "Flash arb cannot run");

    private static IResult WithView(FlashArbDesk desk, Func<FlashArbView, IResult> answer) => desk.Id is null ? NoOrchestrator() : answer(desk.View);

    private static IResult NoOrchestrator() => Results.Problem(
        detail: "No flash-arb instance is configured (Phoenyra:Strategies:Instances with Kind flash-arb).", statusCode: 404, title: "No flash arb");
}
