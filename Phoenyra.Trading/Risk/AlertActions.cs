using Microsoft.Extensions.Logging;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Risk;

/// <summary>
/// What a firing alert may do to trading: <c>reduce</c> puts the desk in reducing mode (a guard from
/// source <c>alertmanager</c>), <c>halt</c> pulls the desk kill switch. Both stay until an operator
/// resumes the desk (<c>POST /admin/desk/resume</c>); a resolved alert loosens nothing.
/// </summary>
internal sealed class AlertActions(DeskKillSwitch kill, IBus bus, IAuditLog audit, TimeProvider time, ILogger<AlertActions> logger) : IEventHandler<AlertActionRequested>
{
    public const string GuardName = "alert-reduce";

    public async ValueTask Handle(AlertActionRequested alert, CancellationToken cancellationToken)
    {
        var reason = $"alert {alert.AlertName}: {alert.Summary}";
        switch (alert.Action)
        {
            case AlertAction.Halt:
                await kill.Halt(AlertActionRequested.Actor, reason);
                break;
            case AlertAction.Reduce:
                await bus.Publish(new TradingGuardChanged(AlertActionRequested.Actor, GuardName, true, null, 1.0, reason, time.GetUtcNow(), TradingState.Reducing), cancellationToken);
                logger.LogWarning("Desk reducing on {Reason}", reason);
                await audit.Record(AlertActionRequested.Actor, "alert.reduce", null, new { alert = alert.AlertName, summary = alert.Summary }, "ok", cancellationToken);
                break;
        }
    }

    /// <summary>An operator's resume lifts what alerts imposed, too.</summary>
    public static TradingGuardChanged Lifted(string actor, string reason, DateTimeOffset time) =>
        new(AlertActionRequested.Actor, GuardName, false, null, 1.0, $"lifted by {actor}: {reason}", time);
}
