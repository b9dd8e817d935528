namespace Phoenyra.Bess.Optimisation;

/// <summary>The optimiser is busy (one run at a time per desk) or ran out of time; the message says which and what to do.</summary>
public sealed class OptimiserUnavailableException(string message) : Exception(message);

/// <summary>
/// One optimisation at a time per desk, each given at most <see cref="Timeout"/>. A run that times out
/// keeps the gate until its work really ends, so abandoned runs cannot pile up on the two cores.
/// </summary>
internal sealed class OptimiserGate(TimeProvider time)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _one = new(1, 1);
    private (string Who, DateTimeOffset Since)? _running;

    public async Task<OptimisationResult> Run(Func<OptimisationResult> work, string who)
    {
        if (!_one.Wait(0))
        {
            var busy = _running;
            throw new OptimiserUnavailableException(busy is { } b
                ? $"Another optimisation is running (started by {b.Who} at {b.Since:HH:mm:ss} UTC); try again when it has finished."
                : "Another optimisation is running; try again when it has finished.");
        }
        _running = (who, time.GetUtcNow());
        // The gate opens inside the run, so it is open by the time anyone sees the run end.
        var task = Task.Run(() =>
        {
            try { return work(); }
            finally { _running = null; _one.Release(); }
        });
        if (await Task.WhenAny(task, Task.Delay(Timeout, time)) != task)
            throw new OptimiserUnavailableException($"The optimiser stopped waiting after {Timeout.TotalSeconds:0} s; try a shorter price series or a battery without a daily cycle cap.");
        return await task;
    }
}
