using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Http;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Security;
using Phoenyra.Core.Settings;
using Phoenyra.Strategies.FlashArb.Settings;

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
        seed.MapGet("/pnl", (StrategyDesk desk) => WithView(desk, (_, v) => Results.Ok(new
        {
            positive = v.PnlPositive, negative = v.PnlNegative, net = v.PnlNet, daily_net = v.DailyNetPnl, currency = "GBP",
        }))).WithSummary("Flash-arb PnL: the sum of profitable and of losing cycles, and net (GBP)");
        seed.MapGet("/trades", (StrategyDesk desk, int? limit) =>
        {
            if (limit is < 1 or > 500) return Problems.Invalid("limit", "must be between 1 and 500");
            return WithView(desk, (_, v) =>
            {
                var trades = v.Cycles.Where(c => c.Legs.Count > 0).Take(limit ?? 50).ToList();
                return Results.Ok(new { trades, count = trades.Count });
            });
        }).WithSummary("Flash-arb cycles that traded, newest first, with both legs, the loan transaction and the profit");
        seed.MapGet("/orders/open", async (StrategyDesk desk, IBus bus) =>
        {
            if (desk.FlashArbId is not { } id) return NoOrchestrator();
            var orders = await bus.Send(new GetOpenOrders(id));
            return Results.Ok(new { orders, count = orders.Count });
        }).WithSummary("The orchestrator's open orders (its legs are IOC: normally none)");

        var control = endpoints.MapGroup("/api/flash-arb").WithTags("Flash arb").RequireAuthorization(Policies.Trader)
            .RequireRateLimiting(Policies.ControlPlaneRate).WithMetadata(new RequestSizeLimit(4 * 1024));
        control.MapGet("/status", async (StrategyDesk desk, ClaimsPrincipal user, IAuditLog audit) =>
        {
            await audit.Record(user.KeyId(), "flash_arb.status", null, null, "ok");
            return desk.FlashArbId is { } id && desk.Status(id) is { } status ? Results.Ok(status)
                : desk.FlashArbId is { } broken ? Results.Problem(detail: desk.Problems.GetValueOrDefault(broken), statusCode: 409, title: "Flash arb cannot run")
                : NoOrchestrator();
        }).WithSummary("Running or not, restarts, last error and success, guards, parameters, recent cycles");
        control.MapPost("/start", async (StartRequest? body, StrategyDesk desk, ClaimsPrincipal user, IAuditLog audit) =>
        {
            if (desk.FlashArbId is not { } id) return NoOrchestrator();
            var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in body?.Overrides ?? [])
            {
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
                    return Problems.Invalid($"overrides.{key}", "must be a string, number or boolean");
                overrides[key] = value.ValueKind switch { JsonValueKind.True => "1", JsonValueKind.False => "0", JsonValueKind.String => value.GetString()!, _ => value.GetRawText() };
            }
            var (result, errors) = await desk.StartFlashArb(id, overrides, user.KeyId());
            if (errors.Count > 0)
            {
                await audit.Record(user.KeyId(), "flash_arb.start", null, new { overrides = overrides.Keys }, "refused");
                return Problems.Invalid(errors.Select(e => new ValidationError($"overrides.{e.Key}", $"{e.Problem}; {e.Fix}")), "The overrides were refused; nothing changed.");
            }
            if (result is null) return Results.Problem(detail: desk.Problems.GetValueOrDefault(id), statusCode: 409, title: "Flash arb cannot run");
            return result.Ok ? Results.Ok(new { status = "started", state = Codes.Of(result.Status.State), overrides })
                : Results.Problem(detail: result.Problem, statusCode: 409, title: "Refused");
        }).WithSummary("Start the orchestrator, optionally with overrides of strategy parameters (checked like the settings)");
        control.MapPost("/stop", async (StrategyDesk desk, ClaimsPrincipal user) =>
        {
            if (desk.FlashArbId is not { } id) return NoOrchestrator();
            if (desk.Stop(id, user.KeyId()) is not { } work) return Results.Problem(detail: desk.Problems.GetValueOrDefault(id), statusCode: 409, title: "Flash arb cannot run");
            var result = await work;
            return Results.Ok(new { status = "stopped", state = Codes.Of(result.Status.State) });
        }).WithSummary("Stop the orchestrator after the cycle in flight");
        control.MapPost("/diagnostics", async (StrategyDesk desk, IOptions<FlashArbSettings> settings, IBus bus, ClaimsPrincipal user, IAuditLog audit) =>
        {
            var report = await Diagnostics.Run(settings.Value, desk, bus);
            await audit.Record(user.KeyId(), "flash_arb.diagnostics", null, new { ok = report.Ok }, report.Ok ? "ok" : "failed");
            return Results.Ok(report);
        }).WithSummary("The settings report (names, never secrets) and connectivity to each configured endpoint");
    }

    private static IResult WithView(StrategyDesk desk, Func<string, FlashArbView, IResult> answer) =>
        desk.FlashArbId is { } id ? answer(id, desk.Status(id)?.View as FlashArbView ?? FlashArbView.Empty) : NoOrchestrator();

    private static IResult NoOrchestrator() => Results.Problem(
        detail: "No flash-arb instance is configured (Phoenyra:Strategies:Instances with Kind flash-arb).", statusCode: 404, title: "No flash arb");
}
