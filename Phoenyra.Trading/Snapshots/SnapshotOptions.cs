using Phoenyra.Core.Settings;

namespace Phoenyra.Trading.Snapshots;

/// <summary>Periodic snapshots of the engines, <c>Phoenyra:Trading:Snapshots</c>: they bound the replay at start.</summary>
public sealed class SnapshotOptions
{
    /// <summary>When false, every start replays the whole journal.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A new snapshot once this many journal records have been committed since the last one: a start
    /// replays at most this many (100,000 take about 0.2 s here).
    /// </summary>
    public int EveryRecords { get; set; } = 100_000;

    /// <summary>Snapshots kept (the newest; an older one is a fallback if the newest cannot be read).</summary>
    public int Keep { get; set; } = 2;

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (EveryRecords is < 1_000 or > 100_000_000) yield return new SettingsError($"{prefix}:EveryRecords", $"is {EveryRecords}; use 1000..100000000");
        if (Keep is < 1 or > 100) yield return new SettingsError($"{prefix}:Keep", $"is {Keep}; use 1..100");
    }
}
