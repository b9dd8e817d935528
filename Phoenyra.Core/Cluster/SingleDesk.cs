namespace Phoenyra.Core.Cluster;

/// <summary>A desk without a cluster: it always leads, in term 0.</summary>
public sealed class SingleDesk(ClusterOptions options) : ILeadership
{
    public bool IsLeader => true;
    public long Term => 0;
    public string NodeId => options.Node;
    public LeaderInfo? Leader => null;
    public bool SteppedDown => false;

    public Task OnElected(Func<CancellationToken, Task> start) => start(CancellationToken.None);

    public Task Elected => Task.CompletedTask;

    public void Fenced(string why) { }
}
