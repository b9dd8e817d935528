using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Phoenyra.Core.Messaging;

/// <summary>
/// Dispatches commands through the pipeline behaviours to their single handler, and events to
/// their handlers (in registration order) and then to bounded subscriber feeds. Handlers are
/// resolved from the root provider, so they are singletons like the engines they front.
/// </summary>
internal sealed class Bus(IServiceProvider services, CoreMetrics metrics, ILogger<Bus> logger) : IBus
{
    private readonly ConcurrentDictionary<Type, object> _dispatchers = new();
    private readonly ConcurrentDictionary<Type, object> _eventHandlers = new();
    private readonly ConcurrentDictionary<Type, object> _subscribers = new();
    private IPipelineBehavior[]? _behaviors;

    public ValueTask<TResult> Send<TResult>(ICommand<TResult> command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var dispatcher = (CommandDispatcher<TResult>)_dispatchers.GetOrAdd(command.GetType(), static type =>
        {
            var result = type.GetInterfaces()
                .Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICommand<>))
                .GetGenericArguments()[0];
            return Activator.CreateInstance(typeof(CommandDispatcher<,>).MakeGenericType(type, result))!;
        });
        _behaviors ??= services.GetServices<IPipelineBehavior>().ToArray();
        return dispatcher.Dispatch(command, services, _behaviors, cancellationToken);
    }

    public async ValueTask Publish<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : IEvent
    {
        ArgumentNullException.ThrowIfNull(@event);
        // A static factory with the provider as state: a capturing lambda here was a delegate allocated on every publish.
        var handlers = (IEventHandler<TEvent>[])_eventHandlers.GetOrAdd(typeof(TEvent),
            static (_, provider) => provider.GetServices<IEventHandler<TEvent>>().ToArray(), services);
        foreach (var handler in handlers)
        {
            try
            {
                await handler.Handle(@event, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing observer must not stop the others or the publisher (an engine loop).
                logger.LogError(ex, "Event handler {Handler} failed on {Event}", handler.GetType().Name, typeof(TEvent).Name);
                metrics.HandlerErrors.Add(1, new KeyValuePair<string, object?>("event", typeof(TEvent).Name));
            }
        }
        if (_subscribers.TryGetValue(typeof(TEvent), out var list))
            ((SubscriberList<TEvent>)list).Offer(@event);
    }

    public IEventSubscription<TEvent> Subscribe<TEvent>(int capacity = 256) where TEvent : IEvent
    {
        var list = (SubscriberList<TEvent>)_subscribers.GetOrAdd(typeof(TEvent), static (_, m) => new SubscriberList<TEvent>(m), metrics);
        return list.Add(capacity);
    }

    private abstract class CommandDispatcher<TResult>
    {
        public abstract ValueTask<TResult> Dispatch(ICommand<TResult> command, IServiceProvider services,
            IPipelineBehavior[] behaviors, CancellationToken cancellationToken);
    }

    private sealed class CommandDispatcher<TCommand, TResult> : CommandDispatcher<TResult> where TCommand : ICommand<TResult>
    {
        private ICommandHandler<TCommand, TResult>? _handler;

        public override ValueTask<TResult> Dispatch(ICommand<TResult> command, IServiceProvider services,
            IPipelineBehavior[] behaviors, CancellationToken cancellationToken)
        {
            var typed = (TCommand)command;
            var handler = _handler ??= services.GetService<ICommandHandler<TCommand, TResult>>()
                ?? throw new InvalidOperationException($"No handler is registered for {typeof(TCommand).Name}.");
            if (behaviors.Length == 0) return handler.Handle(typed, cancellationToken);
            return Invoke(0);

            ValueTask<TResult> Invoke(int index) => index == behaviors.Length
                ? handler.Handle(typed, cancellationToken)
                : behaviors[index].Handle(typed, () => Invoke(index + 1), cancellationToken);
        }
    }
}
