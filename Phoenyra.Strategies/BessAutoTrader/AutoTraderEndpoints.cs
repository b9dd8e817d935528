using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Phoenyra.Core.Http;
using Phoenyra.Core.Security;

namespace Phoenyra.Strategies.BessAutoTrader;

/// <summary><c>/api/bess/autotrader</c>: the auto-trader's status (viewer) and its switch (trader), which starts or stops its strategy.</summary>
internal static class AutoTraderEndpoints
{
    public sealed record AutoTraderSwitch(bool? Enabled);

    private static IResult NotConfigured() => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
        detail: $"No {Runtime.StrategyKinds.BessAutoTrader} instance is configured (Phoenyra:Strategies:Instances).");

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/bess/autotrader", async (StrategyDesk desk) => await desk.AutoTrader() is { } status ? Results.Ok(status) : NotConfigured())
            .RequireAuthorization(Policies.Viewer).WithTags("BESS").WithSummary("Auto-trader state and planned vs executed power per period");
        endpoints.MapPost("/api/bess/autotrader", async (AutoTraderSwitch body, StrategyDesk desk, ClaimsPrincipal user) =>
        {
            if (body.Enabled is not { } enabled) return Problems.Invalid("enabled", "is required (true or false)");
            return await desk.SetAutoTrader(enabled, user.KeyId()) switch
            {
                null => NotConfigured(),
                ({ } status, null) => Results.Ok(status),
                (_, { } problem) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: problem),
            };
        }).RequireAuthorization(Policies.Trader).WithTags("BESS").WithSummary("Switch the auto-trader on or off: starts or stops its strategy (audited)");
    }
}
