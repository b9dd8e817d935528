namespace Phoenyra.Strategies.Runtime;

/// <summary>One sample of a strategy's PnL: total, and the drawdown from the session's peak.</summary>
public readonly record struct PnlSample(DateTimeOffset Time, decimal TotalPnl, decimal Drawdown);

/// <summary>The last 15 minutes of a strategy's PnL, a sample a second, for the dashboard's chart.</summary>
internal sealed class PnlHistory
{
    private const int Capacity = 900;
    private readonly Queue<PnlSample> _samples = new(Capacity);
    private readonly Lock _gate = new();

    public void Add(PnlSample sample)
    {
        lock (_gate)
        {
            if (_samples.Count == Capacity) _samples.Dequeue();
            _samples.Enqueue(sample);
        }
    }

    public IReadOnlyList<PnlSample> Recent()
    {
        lock (_gate) return _samples.ToArray();
    }
}
