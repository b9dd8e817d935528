using System.Diagnostics;
using Phoenyra.Core.Storage;

namespace Phoenyra.Ops;

/// <summary>One reading of the process for the Ops page: uptime, memory, collections.</summary>
public sealed record ProcessSample(TimeSpan Uptime, decimal ResidentMb, decimal HeapMb, int Gen2Collections);

/// <summary>What the dashboard's Ops page reads: the store's state and the process's health.</summary>
public sealed class OpsDesk
{
    private readonly IStore _store;
    private readonly TimeProvider _time;

    internal OpsDesk(IStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public string DatabasePath => _store.DatabasePath;

    public bool StoreReady => _store.IsReady;

    public ProcessSample Sample()
    {
        using var process = Process.GetCurrentProcess();
        return new ProcessSample(
            _time.GetUtcNow() - process.StartTime.ToUniversalTime(),
            Math.Round(Environment.WorkingSet / 1048576m, 1),
            Math.Round(GC.GetTotalMemory(false) / 1048576m, 1),
            GC.CollectionCount(2));
    }
}
