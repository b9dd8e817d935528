using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>What a firing alert asks the desk to do (its <c>phoenyra_action</c> label).</summary>
public enum AlertAction { Reduce, Halt, Flatten }

/// <summary>
/// A firing alert from Alertmanager that carries an action (seed 000: alerts tighten the policy).
/// The module that owns the action carries it out and audits it with actor <see cref="Actor"/>;
/// nothing ever loosens on a resolved alert — an operator resumes.
/// </summary>
public sealed record AlertActionRequested(AlertAction Action, string AlertName, string Summary, string? Strategy, DateTimeOffset Time) : IEvent
{
    public const string Actor = "alertmanager";
}
