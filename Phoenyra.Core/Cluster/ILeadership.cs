namespace Phoenyra.Core.Cluster;

/// <summary>The desk that leads a cluster: its node, where it is reached, and the term it was elected in.</summary>
public sealed record LeaderInfo(string Node, string Url, long Term, DateTimeOffset Since);

/// <summary>
/// Whether this desk leads (trades, writes) or stands by. A desk without a cluster always leads, in term 0.
/// Work that only a leader may do registers with <see cref="OnElected"/>: it runs once, in registration order
/// (the host's start order), when this desk becomes the leader; at once on a desk that already leads.
/// </summary>
public interface ILeadership
{
    bool IsLeader { get; }

    /// <summary>The term this desk leads in (every journal write carries it and is refused once another term began); 0 without a cluster.</summary>
    long Term { get; }

    string NodeId { get; }

    /// <summary>The current leader as the store last said (this desk when it leads); null before any was elected.</summary>
    LeaderInfo? Leader { get; }

    /// <summary>True once this desk stepped down (deposed, fenced or its lease lapsed): it acknowledges nothing more and exits to be restarted as a standby.</summary>
    bool SteppedDown { get; }

    Task OnElected(Func<CancellationToken, Task> start);

    /// <summary>Completes once this desk leads and every start step has run (at once without a cluster).</summary>
    Task Elected { get; }

    /// <summary>A write was refused because another term began: step down now.</summary>
    void Fenced(string why);
}
