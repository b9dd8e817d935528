using Microsoft.Extensions.DependencyInjection;

namespace Phoenyra.Core.Messaging.Behaviors;

/// <summary>Runs every registered <see cref="IValidator{TCommand}"/>; the handler never sees an invalid command.</summary>
internal sealed class ValidationBehavior(IServiceProvider services) : IPipelineBehavior
{
    public ValueTask<TResult> Handle<TCommand, TResult>(TCommand command, CommandContinuation<TResult> next, CancellationToken cancellationToken)
        where TCommand : ICommand<TResult>
    {
        List<ValidationError>? errors = null;
        foreach (var validator in services.GetServices<IValidator<TCommand>>())
        {
            foreach (var error in validator.Validate(command))
                (errors ??= []).Add(error);
        }
        return errors is null ? next() : throw new CommandValidationException(typeof(TCommand).Name, errors);
    }
}
