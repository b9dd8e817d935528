using Microsoft.Extensions.Logging;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Strategies.Runtime;

/// <summary>A firing alert with <c>phoenyra_action=flatten</c> flattens the strategy named in its <c>strategy</c> label (audited as <c>alertmanager</c>).</summary>
internal sealed class AlertFlatten(StrategyDesk desk, IAuditLog audit, ILogger<AlertFlatten> logger) : IEventHandler<AlertActionRequested>
{
    public async ValueTask Handle(AlertActionRequested alert, CancellationToken cancellationToken)
    {
        if (alert.Action != AlertAction.Flatten) return;
        if (alert.Strategy is not { } id || desk.Flatten(id, FlattenSide.Both, AlertActionRequested.Actor) is not { } flatten)
        {
            logger.LogWarning("Alert {Alert} asked to flatten strategy '{Strategy}', which is not an instance here; ignored", alert.AlertName, alert.Strategy);
            await audit.Record(AlertActionRequested.Actor, "alert.flatten", null, new { alert = alert.AlertName, strategy = alert.Strategy }, "rejected: no such strategy", cancellationToken);
            return;
        }
        var (result, flat) = await flatten;
        var outcome = flat?.Flat == true ? "flat" : result.Problem ?? "not flat yet";
        logger.LogWarning("Alert {Alert} flattened {Strategy}: {Outcome}", alert.AlertName, id, outcome);
        await audit.Record(AlertActionRequested.Actor, "alert.flatten", null, new { alert = alert.AlertName, strategy = id, outcome }, result.Ok ? "ok" : "rejected: " + result.Problem, cancellationToken);
    }
}
