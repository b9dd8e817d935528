using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Bess.Guards;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Http;
using Phoenyra.Core.Security;

namespace Phoenyra.Bess.Api;

/// <summary>Telemetry intake (device, trader or admin keys) and the battery's status and history (viewer).</summary>
internal static class BessEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // The seed's two paths for the same intake.
        foreach (var path in new[] { "/telemetry/bess", "/api/telemetry" })
            endpoints.MapPost(path, async (TelemetryRequest body, TelemetryIntake intake, IOptions<BessOptions> options, IAuditLog audit, ClaimsPrincipal user,
                IHostEnvironment environment, IConfiguration configuration, CancellationToken ct) =>
            {
                // A device key speaks for its own site only; a trader's or admin's reading is an override, marked and audited.
                var keyId = user.KeyId();
                var device = user.Role() == Role.Device;
                var overridesOn = configuration.GetValue<bool>(TelemetryOverrides.Setting);
                if (!device && !TelemetryOverrides.Allowed(environment, overridesOn, user.Role() ?? Role.Viewer))
                {
                    await audit.Record(keyId, "telemetry.override", null, new { site = TelemetryRequest.Shown(body.Site), soc_percent = body.SocPercent, active_power_mw = body.ActivePowerMw, temperature_c = body.TemperatureC },
                        "denied: " + TelemetryOverrides.Refusal(overridesOn), ct);
                    return Results.Problem(statusCode: 403, title: "Forbidden", detail: TelemetryOverrides.Refusal(overridesOn));
                }
                if (device && options.Value.Site(body.Site) is { } site && !site.AcceptsDevice(keyId))
                    return Results.Problem(statusCode: 403, title: "Forbidden",
                        detail: $"Device key '{keyId}' may not post readings for site '{site.Id}': name the key after the site or list it in that site's DeviceKeys.");
                var errors = await intake.Submit(body, device ? keyId : TelemetryIntake.OverridePrefix + keyId, ct);
                if (!device)
                    await audit.Record(keyId, "telemetry.override", null, errors.Count > 0 ? null // the values may not even be numbers JSON can hold
                        : new { site = body.Site ?? options.Value.DefaultSite.Id, soc_percent = body.SocPercent, active_power_mw = body.ActivePowerMw, temperature_c = body.TemperatureC },
                        errors.Count == 0 ? "ok" : "rejected: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")), ct);
                return errors.Count > 0 ? Problems.Invalid(errors, "The reading was not stored.") : Results.Accepted(value: new { status = "accepted", site = body.Site ?? intake.Latest()?.Site });
            }).RequireAuthorization(Policies.Telemetry).WithTags("BESS").WithSummary("Post a telemetry reading (SoC %, active power MW, temperature °C)");

        var api = endpoints.MapGroup("/api").WithTags("BESS").RequireAuthorization(Policies.Viewer);
        api.MapGet("/bess-status", (TelemetryIntake intake, GuardEvaluator guards, IOptions<BessOptions> options, TimeProvider time, string? site) =>
        {
            var settings = options.Value;
            var target = settings.Site(site);
            if (target is null) return Problems.Invalid("site", $"'{site}' is not a configured site");
            var latest = intake.Latest(target.Id);
            var age = latest is null ? (double?)null : (time.GetUtcNow() - latest.Time).TotalSeconds;
            return Results.Ok(new
            {
                site = target.Id,
                online = age is not null && age <= settings.OfflineAfterSeconds,
                soc_percent = latest?.SocPercent,
                active_power_mw = latest?.ActivePowerMw,
                temperature_c = latest?.TemperatureC,
                last_update = latest?.Time,
                age_seconds = age is null ? (double?)null : Math.Round(age.Value, 1),
                power_mw = target.PowerMw,
                capacity_mwh = target.CapacityMwh,
                guards = target.Id == settings.DefaultSite.Id ? guards.Guards : [],
            });
        }).WithSummary("Latest SoC, power, temperature, online state and active guards");

        api.MapGet("/bess/envelope", (Envelope.EnvelopeTracker tracker) => Results.Ok(new
        {
            markets = tracker.Markets.Select(tracker.Latest).OfType<Core.Contracts.SocEnvelopeChanged>().Select(e => new
            {
                market = e.Market, accounts = e.Accounts, floor_percent = e.FloorPercent, ceiling_percent = e.CeilingPercent, time = e.Time,
                periods = e.Periods.Select(p => new { start = p.Start, end = p.End, max_buy_mw = p.MaxBuyMw, max_sell_mw = p.MaxSellMw,
                    available_discharge_mwh = Math.Round(p.AvailableDischargeMwh, 4), available_charge_mwh = Math.Round(p.AvailableChargeMwh, 4) }),
            }),
        })).WithSummary("The battery's feasibility envelope per market and delivery period: the most it can still buy and sell (orders beyond are refused with infeasible_soc)");

        api.MapGet("/bess/imbalance", (BessDesk desk) => Results.Ok(desk.Imbalance))
            .WithSummary("Imbalance per settled quarter-hour (committed vs metered, price and its source, cost) and the cost since start");

        api.MapGet("/bess/history", async (TelemetryStore store, IOptions<BessOptions> options, string? site, DateTimeOffset? since, int? limit) =>
        {
            var target = options.Value.Site(site);
            if (target is null) return Problems.Invalid("site", $"'{site}' is not a configured site");
            if (limit is < 1 or > 10_000) return Problems.Invalid("limit", "must be between 1 and 10000");
            return Results.Ok(await store.History(target.Id, since, limit ?? 1000));
        }).WithSummary("Telemetry history of a site, oldest first");
    }
}
