using System.Collections.Concurrent;

namespace Phoenyra.Strategies.Runtime;

/// <summary>The instances the host built, by id and by account, for the router, the API, the metrics and the dashboard.</summary>
internal sealed class StrategyRegistry
{
    private readonly ConcurrentDictionary<string, StrategyInstance> _byId = new(StringComparer.Ordinal);
    private volatile StrategyInstance[] _all = [];

    /// <summary>Instances that could not be built (market unknown, …), with the reason.</summary>
    public ConcurrentDictionary<string, string> Problems { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<StrategyInstance> All => _all;

    /// <summary>The desk kill switch is on: strategies are stopped and may not start.</summary>
    public string? DeskHalt { get; set; }

    public void Add(StrategyInstance instance)
    {
        _byId[instance.Id] = instance;
        _all = [.. _all, instance];
    }

    public StrategyInstance? Find(string id) => _byId.GetValueOrDefault(id);
}
