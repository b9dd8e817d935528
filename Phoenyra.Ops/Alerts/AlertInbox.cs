namespace Phoenyra.Ops.Alerts;

/// <summary>One alert as the desk received it, and what it did about it.</summary>
public sealed record ReceivedAlert(string Name, string Status, string? Action, string? Strategy, string Summary, DateTimeOffset? StartsAt, DateTimeOffset ReceivedAt, string Outcome);

/// <summary>The newest <see cref="Capacity"/> alerts received, for the Ops page and <c>GET /admin/alerts</c>.</summary>
public sealed class AlertInbox
{
    public const int Capacity = 200;
    private readonly Queue<ReceivedAlert> _recent = new();
    private readonly Lock _gate = new();

    internal void Add(ReceivedAlert alert)
    {
        lock (_gate)
        {
            if (_recent.Count == Capacity) _recent.Dequeue();
            _recent.Enqueue(alert);
        }
    }

    public IReadOnlyList<ReceivedAlert> Recent()
    {
        lock (_gate) return _recent.Reverse().ToList();
    }
}
