using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Phoenyra.Core.Messaging.Behaviors;

/// <summary>Logs each command by type name only: command bodies may carry secrets.</summary>
internal sealed class LoggingBehavior(ILogger<LoggingBehavior> logger) : IPipelineBehavior
{
    public async ValueTask<TResult> Handle<TCommand, TResult>(TCommand command, CommandContinuation<TResult> next, CancellationToken cancellationToken)
        where TCommand : ICommand<TResult>
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await next().ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Debug))
                logger.LogDebug("{Command} handled in {ElapsedMs:F3} ms", typeof(TCommand).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return result;
        }
        catch (CommandValidationException ex)
        {
            logger.LogInformation("{Command} rejected: {Reason}", typeof(TCommand).Name, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "{Command} failed", typeof(TCommand).Name);
            throw;
        }
    }
}
