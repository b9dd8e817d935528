using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Phoenyra.Core.Messaging.Behaviors;

/// <summary>Runs every registered <see cref="IValidator{TCommand}"/>; the handler never sees an invalid command.</summary>
internal sealed class ValidationBehavior(IServiceProvider services) : IPipelineBehavior
{
    // Validators are singletons; resolving the enumerable once per command type keeps Send allocation-free here.
    private readonly ConcurrentDictionary<Type, object> _validators = new();

    public ValueTask<TResult> Handle<TCommand, TResult>(TCommand command, CommandContinuation<TResult> next, CancellationToken cancellationToken)
        where TCommand : ICommand<TResult>
    {
        List<ValidationError>? errors = null;
        var validators = (IValidator<TCommand>[])_validators.GetOrAdd(typeof(TCommand), static (_, provider) => provider.GetServices<IValidator<TCommand>>().ToArray(), services);
        foreach (var validator in validators)
        {
            foreach (var error in validator.Validate(command))
                (errors ??= []).Add(error);
        }
        return errors is null ? next() : throw new CommandValidationException(typeof(TCommand).Name, errors);
    }
}
