using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Metrics;

namespace Phoenyra.Core.Cluster;

/// <summary>The cluster's instruments: which node leads, in which term, how often leadership moved.</summary>
public sealed class ClusterMetrics : IMetricSet
{
    public ClusterMetrics(IMeterFactory meters, IServiceProvider services)
    {
        var meter = meters.Create("Phoenyra.Cluster");
        ILeadership Leadership() => services.GetRequiredService<ILeadership>();
        meter.CreateObservableGauge("pho_cluster_role", () =>
            new Measurement<int>(Leadership().IsLeader ? 1 : 0, new KeyValuePair<string, object?>("node", Leadership().NodeId)),
            description: "1 on the leader, 0 on a standby (a desk without a cluster leads).");
        meter.CreateObservableGauge("pho_cluster_term", () => Leadership().Term,
            description: "The term this desk leads in, or the newest it has seen as a standby; 0 without a cluster.");
        meter.CreateObservableGauge("pho_cluster_standby_lag_records", () =>
            new Measurement<long>(Interlocked.Read(ref _standbyLag), new KeyValuePair<string, object?>("node", Leadership().NodeId)),
            description: "Journal records the leader committed that this standby has not applied yet; 0 on the leader.");
        Takeovers = meter.CreateCounter<long>("pho_cluster_takeovers_total", description: "Times this desk became the leader.");
    }

    internal Counter<long> Takeovers { get; }

    private long _standbyLag;

    /// <summary>How far this standby's engines are behind the journal, in records (its follower reports it; 0 once it leads).</summary>
    public long StandbyLag
    {
        get => Interlocked.Read(ref _standbyLag);
        set => Interlocked.Exchange(ref _standbyLag, value);
    }

    public void StartAtZero() => Takeovers.Add(0);
}
