using System.Diagnostics;

namespace Phoenyra.Core.Messaging.Behaviors;

/// <summary>Counts commands by outcome and times them.</summary>
internal sealed class MetricsBehavior(CoreMetrics metrics) : IPipelineBehavior
{
    public async ValueTask<TResult> Handle<TCommand, TResult>(TCommand command, CommandContinuation<TResult> next, CancellationToken cancellationToken)
        where TCommand : ICommand<TResult>
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await next().ConfigureAwait(false);
            outcome = "ok";
            return result;
        }
        catch (CommandValidationException)
        {
            outcome = "invalid";
            throw;
        }
        finally
        {
            var name = new KeyValuePair<string, object?>("command", typeof(TCommand).Name);
            metrics.Commands.Add(1, name, new KeyValuePair<string, object?>("outcome", outcome));
            metrics.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, name);
        }
    }
}
