using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Http;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Alerts;

/// <summary>Alertmanager's webhook body (version 4), the parts the desk reads.</summary>
public sealed record AlertmanagerPayload(string? Version, List<AlertmanagerAlert>? Alerts);

public sealed record AlertmanagerAlert(
    string? Status, Dictionary<string, string>? Labels, Dictionary<string, string>? Annotations,
    [property: JsonPropertyName("startsAt")] DateTimeOffset? StartsAt, string? Fingerprint);

/// <summary>
/// <c>POST /admin/alerts</c>: Alertmanager's webhook, with Alertmanager's own key (role
/// <c>alertmanager</c>) as <c>Authorization: Bearer</c>. What a firing alert does comes from the
/// desk's map (<see cref="AlertOptions"/>) by the alert's name; its labels never choose an action or
/// a strategy (<c>phoenyra_action</c> and <c>strategy</c> labels are recorded, not obeyed). The owning
/// module acts and audits as <c>alertmanager</c>; an alert the map does not name is recorded and does
/// nothing; resolved alerts loosen nothing.
/// </summary>
internal static class AlertWebhook
{
    public const int MaxAlerts = 1000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var alerts = endpoints.MapGroup("/admin/alerts").WithTags("Admin");
        alerts.MapPost("", async (AlertmanagerPayload? body, AlertInbox inbox, IBus bus, IOptions<AlertOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct) =>
        {
            if (body is null) return Problems.Invalid("body", "must be Alertmanager's webhook JSON");
            if (body.Version != "4") return Problems.Invalid("version", $"'{body.Version}' is not supported; Alertmanager sends version 4");
            if (body.Alerts is not { } list) return Problems.Invalid("alerts", "is required");
            if (list.Count > MaxAlerts) return Problems.Invalid("alerts", $"has {list.Count} alerts; at most {MaxAlerts} per call");
            var errors = list.Select((a, i) => a.Labels?.GetValueOrDefault("alertname") is { Length: > 0 } ? null : new ValidationError($"alerts[{i}].labels.alertname", "is required"))
                .OfType<ValidationError>().ToList();
            if (errors.Count > 0) return Problems.Invalid(errors);

            var logger = loggers.CreateLogger("Phoenyra.Ops.Alerts.AlertWebhook");
            var actions = new List<object>();
            foreach (var alert in list)
            {
                var name = Bounded(alert.Labels!["alertname"]);
                var firing = string.Equals(alert.Status, "firing", StringComparison.OrdinalIgnoreCase);
                var asked = alert.Labels.GetValueOrDefault("phoenyra_action") is { } label ? Bounded(label) : null;
                var summary = Bounded(alert.Annotations?.GetValueOrDefault("summary") ?? "");
                var mapped = options.Value.ActionFor(name);
                var outcome = !firing ? "resolved (nothing loosens; an operator resumes)"
                    : mapped is not { } m ? "not in the desk's alert map: recorded, no action"
                    : m.Strategy is { } target ? $"{Codes.Of(m.Action)} {target} (desk's map)" : $"{Codes.Of(m.Action)} (desk's map)";
                if (firing && asked is not null && (mapped is null || !string.Equals(Codes.Of(mapped.Value.Action), asked, StringComparison.OrdinalIgnoreCase)))
                {
                    outcome += $"; label phoenyra_action={asked} ignored";
                    logger.LogWarning("Alert {Alert} carries phoenyra_action={Action}; ignored: the desk's map (Phoenyra:Alerts:Actions) decides", name, asked);
                }
                inbox.Add(new ReceivedAlert(name, firing ? "firing" : "resolved", mapped is { } a ? Codes.Of(a.Action) : null, mapped?.Strategy, summary, alert.StartsAt, time.GetUtcNow(), outcome));
                if (firing && mapped is { } act)
                    await bus.Publish(new AlertActionRequested(act.Action, name, summary, act.Strategy, time.GetUtcNow()), ct);
                actions.Add(new { alert = name, status = firing ? "firing" : "resolved", outcome });
            }
            return Results.Ok(new { received = list.Count, actions });
        }).RequireAuthorization(Policies.Alerts).WithMetadata(new RequestSizeLimit(1024 * 1024))
          .WithSummary("Alertmanager webhook (v4), with Alertmanager's own key: the desk's alert map (Phoenyra:Alerts:Actions) decides what each alert does; labels never do; audited as alertmanager");
        alerts.MapGet("", (AlertInbox inbox) => Results.Ok(new { alerts = inbox.Recent() })).RequireAuthorization(Policies.Admin)
            .WithSummary("The alerts received from Alertmanager, newest first, with what the desk did");
    }

    /// <summary>Names and summaries come from whoever reached Alertmanager: kept short in the inbox and the log.</summary>
    private static string Bounded(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
