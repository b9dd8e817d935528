using Phoenyra.Core.Health;

namespace Phoenyra.Ops.Health;

/// <summary>
/// The last answer of each probing check (a venue, the chain), reused for <see cref="Lifetime"/>:
/// however often <c>/healthz</c> is called, each dependency is probed at most once per period, and
/// callers arriving during a probe share it. A probe gets 3 s; a slow dependency is a failing one.
/// </summary>
internal sealed class ProbeCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private readonly Dictionary<IReadinessCheck, (Task<(bool Ok, string Detail)> Answer, DateTimeOffset At)> _answers = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

    public Task<(bool Ok, string Detail)> Answer(IReadinessCheck check, CancellationToken ct)
    {
        if (!check.Probes) return Timed(check, ct);
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_answers.TryGetValue(check, out var cached) && (!cached.Answer.IsCompleted || now - cached.At < Lifetime)) return cached.Answer;
            var answer = Timed(check, CancellationToken.None); // shared: one caller hanging up must not cancel it for the others
            _answers[check] = (answer, now);
            return answer;
        }
    }

    private static async Task<(bool Ok, string Detail)> Timed(IReadinessCheck check, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        try
        {
            return await check.Check(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return (false, $"{ex.GetType().Name}: {ex.Message}");
        }
    }
}
