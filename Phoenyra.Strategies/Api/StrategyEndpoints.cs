using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Http;
using Phoenyra.Core.Security;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Api;

/// <summary>
/// Document 004's control API under <c>/api/strategies/{id}/…</c> (the root paths are rewritten here
/// for the default hedge grid, see <see cref="SeedControlPaths"/>): reads need a viewer key, control a
/// trader key; every control action is audited with the key id.
/// </summary>
internal static class StrategyEndpoints
{
    public sealed record FlattenRequest(string? Side);
    public sealed record ThrottleRequest(decimal? Throttle);

    private const long BodyLimit = 4 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/strategies").WithTags("Strategies");
        api.MapGet("", (StrategyDesk desk) => Results.Ok(new { strategies = desk.All.Select(Summary), problems = desk.Problems }))
            .RequireAuthorization(Policies.Viewer).WithSummary("Every strategy instance: kind, market, state, PnL, last bar");

        var one = api.MapGroup("/{id}");
        var read = one.MapGroup("").RequireAuthorization(Policies.Viewer);
        var control = one.MapGroup("").RequireAuthorization(Policies.Trader).WithMetadata(new RequestSizeLimit(BodyLimit));

        read.MapGet("", (string id, StrategyDesk desk) => Find(desk, id, s => Results.Ok(s))).WithSummary("The instance's full status");
        read.MapGet("/status", (string id, StrategyDesk desk) => Find(desk, id, s => Results.Ok(SeedStatus(s))))
            .WithSummary("Positions per side, margin ratio, open orders, PnL (document 004's shape)");
        read.MapGet("/ladders", (string id, StrategyDesk desk) => Find(desk, id, s => Results.Ok(Ladders(s))))
            .WithSummary("The grid's rungs each side around the mid (rung 0 nearest), with their state");
        read.MapGet("/orders", (string id, StrategyDesk desk) => Find(desk, id, s => Results.Ok(Orders(s))))
            .WithSummary("The strategy's open orders");

        control.MapPost("/start", async (string id, StrategyDesk desk, ClaimsPrincipal user) =>
            await Command(desk.Start(id, user.KeyId()), id, s => new { status = "started", state = Codes.Of(s.State), timestamp = Now() }))
            .WithSummary("Start trading (refused while halted by the kill switch or the desk)");
        control.MapPost("/stop", async (string id, StrategyDesk desk, ClaimsPrincipal user) =>
            await Command(desk.Stop(id, user.KeyId()), id, s => new { status = "stopped", state = Codes.Of(s.State), timestamp = Now() }))
            .WithSummary("Stop: cancel every strategy order; inventories stay");
        control.MapPost("/reset", async (string id, ReasonRequest body, StrategyDesk desk, ClaimsPrincipal user) =>
        {
            if (ReasonRequest.Problem(body) is { } problem) return Problems.Invalid("reason", problem);
            return await Command(desk.Reset(id, user.KeyId(), body.Reason!.Trim(), user.HasAtLeast(Role.Admin)), id, s => new { status = "reset", state = Codes.Of(s.State), timestamp = Now() });
        }).WithSummary("Sign off a kill-switch halt (with a reason); the strategy is stopped and may be started again");
        control.MapPost("/flatten", async (string id, FlattenRequest? body, StrategyDesk desk, ClaimsPrincipal user) =>
        {
            var side = (body?.Side ?? "both").ToLowerInvariant() switch { "long" => FlattenSide.Long, "short" => FlattenSide.Short, "both" => FlattenSide.Both, _ => (FlattenSide?)null };
            if (side is null) return Problems.Invalid("side", $"'{body?.Side}' must be long, short or both");
            if (desk.Flatten(id, side.Value, user.KeyId()) is not { } work) return Unknown(id);
            var (result, flatten) = await work;
            if (!result.Ok || flatten is null) return Refused(result.Problem);
            return Results.Ok(new
            {
                status = "flattening",
                cancelled_orders = flatten.CancelledOrders,
                closing_positions = flatten.ClosingPositions,
                flat = flatten.Flat,
                problem = flatten.Problem,
                state = Codes.Of(result.Status.State),
                timestamp = Now(),
            });
        }).WithSummary("Cancel the strategy's orders, close the side's inventory (long, short, both) and stop");
        foreach (var path in new[] { "/set-throttle", "/throttle" })
            control.MapPost(path, async (string id, ThrottleRequest body, StrategyDesk desk, ClaimsPrincipal user) =>
            {
                if (body.Throttle is not { } throttle) return Problems.Invalid("throttle", "is required: a number from 0 (maximum passive) to 1 (maximum aggressive)");
                if (Throttle.Problem(throttle) is { } problem) return Problems.Invalid("throttle", problem);
                if (await desk.SetThrottle(id, throttle, user.KeyId()) is not { } result) return Unknown(id);
                return result.Ok ? Results.Ok(new { status = "updated", new_throttle = throttle, timestamp = Now() }) : Refused(result.Problem);
            }).WithSummary("Set the grid's throttle: 0 = maximum passive (no grid), 1 = maximum aggressive");
    }

    private static object Summary(StrategyStatus s) => new
    {
        id = s.Id, kind = s.Kind, market = s.Market, mode = s.Mode, state = Codes.Of(s.State), running = s.State == StrategyState.Running,
        last_bar = Unix(s.LastBar), total_pnl = s.Risk.TotalPnl, fault = s.Fault, last_trip = s.LastTrip,
    };

    private static object SeedStatus(StrategyStatus s)
    {
        var grid = s.View as GridView ?? GridView.Empty;
        return new
        {
            running = s.State == StrategyState.Running,
            positions = new
            {
                @long = new { inventory_usdt = grid.Long.InventoryEur, quantity = grid.Long.Quantity, entry_price = grid.Long.EntryPrice, unrealized_pnl = grid.Long.UnrealizedPnl },
                @short = new { inventory_usdt = grid.Short.InventoryEur, quantity = grid.Short.Quantity, entry_price = grid.Short.EntryPrice, unrealized_pnl = grid.Short.UnrealizedPnl },
            },
            margin_ratio = s.Risk.MarginRatio,
            open_orders = grid.Orders.Count,
            pnl = new { realized = s.Risk.RealizedPnl, unrealized = s.Risk.UnrealizedPnl, total = s.Risk.TotalPnl },
            timestamp = Now(),
            strategy = s.Id,
            market = s.Market,
            mode = s.Mode,
            currency_note = "amounts are EUR (the *_usdt names are the seed's)",
            state = Codes.Of(s.State),
            throttle = grid.Throttle,
            maker_ratio = s.Risk.MakerRatio,
            fills = s.Risk.Fills,
            peak_pnl = s.PeakPnl,
            last_bar = Unix(s.LastBar),
            fault = s.Fault,
            kill_switch = new { halted = s.State == StrategyState.Halted, last_trip = s.LastTrip },
        };
    }

    private static object Ladders(StrategyStatus s)
    {
        var grid = s.View as GridView ?? GridView.Empty;
        object Side(GridSide side) => grid.Rungs.Where(r => r.Side == side).OrderBy(r => r.Rung)
            .Select(r => new { price = r.Price, qty = r.Quantity, rung = r.Rung - 1, state = r.State, take_profit = r.TakeProfit, stop_loss = r.StopLoss });
        return new { timestamp = Now(), mid_price = grid.Mid, centre = grid.Centre, step = grid.Step, throttle = grid.Throttle, problem = grid.LadderProblem,
            long_ladder = Side(GridSide.Long), short_ladder = Side(GridSide.Short) };
    }

    private static object Orders(StrategyStatus s)
    {
        var grid = s.View as GridView ?? GridView.Empty;
        return new
        {
            orders = grid.Orders.Select(o => new
            {
                client_order_id = o.ClientOrderId, side = Codes.Of(o.Side).ToUpperInvariant(), price = o.Price, quantity = o.Quantity, status = "OPEN",
                order_id = o.OrderId, kind = Codes.Of(o.Kind), filled = o.Filled,
            }),
            count = grid.Orders.Count,
            timestamp = Now(),
        };
    }

    private static IResult Find(StrategyDesk desk, string id, Func<StrategyStatus, IResult> answer) =>
        desk.Status(id) is { } status ? answer(status) : Unknown(id);

    private static async Task<IResult> Command(Task<StrategyCommandResult>? work, string id, Func<StrategyStatus, object> body)
    {
        if (work is null) return Unknown(id);
        var result = await work;
        return result.Ok ? Results.Ok(body(result.Status)) : Refused(result.Problem);
    }

    private static IResult Unknown(string id) => Results.Problem(
        detail: id == SeedControlPaths.NoDefault ? "No hedge-grid instance is configured (Phoenyra:Strategies:Instances)." : $"No strategy '{id}'; GET /api/strategies lists them.",
        statusCode: StatusCodes.Status404NotFound, title: "Unknown strategy");

    private static IResult Refused(string? problem) =>
        Results.Problem(detail: problem, statusCode: StatusCodes.Status409Conflict, title: "Refused");

    private static double Now() => Unix(DateTimeOffset.UtcNow)!.Value;

    /// <summary>The seed's timestamps: Unix seconds with milliseconds (also <c>last_bar</c> on /health).</summary>
    internal static double? Unix(DateTimeOffset? time) => time is { } t ? Math.Round(t.ToUnixTimeMilliseconds() / 1000.0, 3) : null;
}
