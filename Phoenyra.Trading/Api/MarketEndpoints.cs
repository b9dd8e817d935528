using Phoenyra.Core.Contracts;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Http;
using Phoenyra.Core.Security;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.Positions;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Api;

/// <summary>Market data, positions, book depth and the risk policy.</summary>
internal static class MarketEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Trading").RequireAuthorization(Policies.Viewer);

        api.MapGet("/market-data", async (Exchange exchange, int? bars) =>
        {
            if (bars is < 0 or > 96) return Problems.Invalid("bars", "must be between 0 and 96");
            var markets = new List<object>();
            foreach (var engine in exchange.Engines)
            {
                var s = engine.Snapshot;
                var (minute, quarter) = await engine.Query(e => e.Bars(bars ?? 16));
                markets.Add(new
                {
                    market = s.Market, mark = s.Mark, mark_source = s.MarkSource, ema = s.Ema, vwap = s.Vwap, best_bid = s.BestBid, best_ask = s.BestAsk,
                    reference = s.Reference, last_trade = s.LastTrade, last_trade_time = s.LastTradeTime, price_events = s.PriceEvents, time = s.Time,
                    bars_1m = minute, bars_15m = quarter,
                });
            }
            return Results.Ok(new { markets });
        }).WithSummary("Mark, EMA, 15-minute VWAP, best bid/ask and recent 1-minute and 15-minute bars per market");

        api.MapGet("/positions", (Positions.Portfolio portfolio) =>
        {
            var positions = portfolio.Positions;
            var total = PortfolioTotals.Of(positions, portfolio.ToEur);
            return Results.Ok(new
            {
                positions,
                total = new
                {
                    realized_pnl = total.RealizedPnl,
                    unrealized_pnl = total.UnrealizedPnl,
                    exposure_energy_mwh = total.ExposureEnergyMwh,
                    exposure_notional_eur = total.ExposureNotionalEur,
                },
            });
        }).WithSummary("Desk net position, average price, PnL and exposure per market");

        api.MapGet("/positions/accounts", async (TradingDesk desk, string? account) =>
        {
            if (account is { Length: > 64 }) return Problems.Invalid("account", "must be at most 64 characters");
            return Results.Ok(new { positions = await desk.AccountPositions(account) });
        }).WithSummary("Net position, average price and PnL per account and market (the auto-trader's and strategies' separately)");

        api.MapGet("/book/{market}", async (string market, Exchange exchange, int? levels) =>
        {
            if (!exchange.TryGet(market, out var engine)) return Results.Problem(detail: $"No market '{market}'.", statusCode: 404, title: "Unknown market");
            if (levels is < 1 or > 100) return Problems.Invalid("levels", "must be between 1 and 100");
            return Results.Ok(await engine.Query(e => e.Depth(levels ?? 10)));
        }).WithSummary("Aggregated book depth, best price first");

        var admin = endpoints.MapGroup("/admin/policy").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapPost("/reload", async (PolicyReloader manager, ClaimsPrincipal user) =>
        {
            var result = await manager.Reload(user.KeyId());
            return result.Applied
                ? Results.Ok(new { applied = true, version = result.Version, hash = result.Hash })
                : Results.Problem(detail: result.Error, statusCode: 400, title: "Policy rejected; the previous policy stays in force",
                    extensions: new Dictionary<string, object?> { ["version_in_force"] = result.Version, ["errors"] = new Dictionary<string, string[]> { ["policy"] = [result.Error!] } });
        }).WithSummary("Reload policy.yaml; an invalid file is rejected and the old policy stays");

        var desk = endpoints.MapGroup("/admin/desk").WithTags("Admin").RequireAuthorization(Policies.Admin);
        desk.MapGet("", (DeskKillSwitch kill, RiskEngine risk) => Results.Ok(new
        {
            kill.State.Halted, kill.State.Since, kill.State.By, kill.State.Reason,
            trading_state = Codes.Of(risk.TradingState),
            guards = risk.ActiveGuards.Select(g => new { source = g.Source, name = g.Name, effect = g.Effect, reason = g.Reason, since = g.Time }),
        })).WithSummary("The desk kill switch (on, since when, by whom, why), the trading state in force and the guards that make it");
        desk.MapPost("/halt", async (ReasonRequest body, DeskKillSwitch kill, ClaimsPrincipal user) =>
        {
            if (ReasonRequest.Problem(body) is { } problem) return Problems.Invalid("reason", problem);
            var result = await kill.Halt(user.KeyId(), body.Reason!.Trim());
            return Results.Ok(new { halted = true, cancelled_orders = result.CancelledOrders, since = result.State.Since });
        }).WithMetadata(new RequestSizeLimit(4 * 1024)).WithSummary("Desk kill switch: halt trading (cancels still accepted) and cancel every open order of every account; audited");
        desk.MapPost("/resume", async (ReasonRequest body, DeskKillSwitch kill, ClaimsPrincipal user) =>
        {
            if (ReasonRequest.Problem(body) is { } problem) return Problems.Invalid("reason", problem);
            await kill.Resume(user.KeyId(), body.Reason!.Trim());
            return Results.Ok(new { halted = false });
        }).WithMetadata(new RequestSizeLimit(4 * 1024)).WithSummary("Lift the desk kill switch; audited");

        admin.MapGet("", (RiskEngine risk, PolicyReloader manager) => Results.Ok(new
        {
            path = manager.PolicyPath, version = risk.Policy.Version, hash = risk.Policy.Hash,
            trading_state = risk.Policy.TradingState, defaults = risk.Policy.Defaults, markets = risk.Policy.Markets,
        })).WithSummary("The policy in force");
    }
}
