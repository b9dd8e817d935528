using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
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
/// <c>POST /admin/alerts</c>: Alertmanager's webhook (admin key as <c>Authorization: Bearer</c>).
/// A firing alert with label <c>phoenyra_action</c> = <c>reduce</c> | <c>halt</c> | <c>flatten</c>
/// (with label <c>strategy</c>) asks the desk to act; the owning module does it and audits it as
/// <c>alertmanager</c>. Unknown actions are logged and ignored; resolved alerts loosen nothing.
/// </summary>
internal static class AlertWebhook
{
    public const int MaxAlerts = 1000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var alerts = endpoints.MapGroup("/admin/alerts").WithTags("Admin").RequireAuthorization(Policies.Admin);
        alerts.MapPost("", async (AlertmanagerPayload? body, AlertInbox inbox, IBus bus, TimeProvider time, ILoggerFactory loggers, CancellationToken ct) =>
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
                var name = alert.Labels!["alertname"];
                var firing = string.Equals(alert.Status, "firing", StringComparison.OrdinalIgnoreCase);
                var requested = alert.Labels.GetValueOrDefault("phoenyra_action");
                var summary = alert.Annotations?.GetValueOrDefault("summary") ?? "";
                AlertAction? action = requested?.ToLowerInvariant() switch
                {
                    "reduce" => AlertAction.Reduce,
                    "halt" => AlertAction.Halt,
                    "flatten" => AlertAction.Flatten,
                    _ => null,
                };
                var outcome = !firing ? "resolved (nothing loosens; an operator resumes)"
                    : requested is null ? "no action"
                    : action is null ? $"unknown action '{requested}' ignored"
                    : $"{Codes.Of(action.Value)} requested";
                if (firing && requested is not null && action is null)
                    logger.LogWarning("Alert {Alert} asks for unknown action {Action}; ignored (use reduce, halt or flatten)", name, requested);
                inbox.Add(new ReceivedAlert(name, firing ? "firing" : "resolved", requested, alert.Labels.GetValueOrDefault("strategy"), summary, alert.StartsAt, time.GetUtcNow(), outcome));
                if (firing && action is { } act)
                    await bus.Publish(new AlertActionRequested(act, name, summary, alert.Labels.GetValueOrDefault("strategy"), time.GetUtcNow()), ct);
                actions.Add(new { alert = name, status = firing ? "firing" : "resolved", outcome });
            }
            return Results.Ok(new { received = list.Count, actions });
        }).WithMetadata(new RequestSizeLimit(1024 * 1024))
          .WithSummary("Alertmanager webhook (v4): alerts labelled phoenyra_action=reduce|halt|flatten act on the desk; audited as alertmanager");
        alerts.MapGet("", (AlertInbox inbox) => Results.Ok(new { alerts = inbox.Recent() }))
            .WithSummary("The alerts received from Alertmanager, newest first, with what the desk did");
    }
}
