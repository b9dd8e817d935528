namespace Phoenyra.Core.Messaging;

/// <summary>A request for the system to do something; exactly one handler answers it.</summary>
public interface ICommand<TResult>;

/// <summary>A fact that happened; any number of handlers and subscribers observe it.</summary>
public interface IEvent;

/// <summary>Handles one command type.</summary>
public interface ICommandHandler<in TCommand, TResult> where TCommand : ICommand<TResult>
{
    ValueTask<TResult> Handle(TCommand command, CancellationToken cancellationToken);
}

/// <summary>Handles one event type; handlers run in registration order, awaited by the publisher.</summary>
public interface IEventHandler<in TEvent> where TEvent : IEvent
{
    ValueTask Handle(TEvent @event, CancellationToken cancellationToken);
}

/// <summary>The next step of a command pipeline.</summary>
public delegate ValueTask<TResult> CommandContinuation<TResult>();

/// <summary>Wraps every command (logging, validation, metrics) without touching its handler.</summary>
public interface IPipelineBehavior
{
    ValueTask<TResult> Handle<TCommand, TResult>(TCommand command, CommandContinuation<TResult> next, CancellationToken cancellationToken)
        where TCommand : ICommand<TResult>;
}

/// <summary>Checks a command before it reaches its handler; an empty result means valid.</summary>
public interface IValidator<in TCommand>
{
    IEnumerable<ValidationError> Validate(TCommand command);
}

/// <summary>One invalid field and the reason, worded for the user.</summary>
public sealed record ValidationError(string Field, string Reason);

/// <summary>Thrown by the validation behaviour; hosts turn it into a 400 problem details.</summary>
public sealed class CommandValidationException(string commandName, IReadOnlyList<ValidationError> errors)
    : Exception($"{commandName} is invalid: " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Reason}")))
{
    public string CommandName { get; } = commandName;
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

/// <summary>The in-process message bus every module talks through.</summary>
public interface IBus
{
    ValueTask<TResult> Send<TResult>(ICommand<TResult> command, CancellationToken cancellationToken = default);

    /// <summary>Runs the event's handlers in order, then offers it to subscribers without waiting for them.</summary>
    ValueTask Publish<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : IEvent;

    /// <summary>
    /// A bounded feed of one event type for readers such as dashboards. When the reader falls
    /// behind, the oldest events are dropped, so a slow reader never slows a publisher.
    /// </summary>
    IEventSubscription<TEvent> Subscribe<TEvent>(int capacity = 256) where TEvent : IEvent;
}

/// <summary>A reader's bounded feed; dispose to stop receiving.</summary>
public interface IEventSubscription<TEvent> : IDisposable
{
    System.Threading.Channels.ChannelReader<TEvent> Reader { get; }

    /// <summary>How many events were dropped because the reader fell behind.</summary>
    long Dropped { get; }
}
