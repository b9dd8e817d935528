using System.Diagnostics;
using Phoenyra.Core.Security;
using Phoenyra.Core.Storage;
using Phoenyra.Ops.Auth;

namespace Phoenyra.Ops;

/// <summary>One reading of the process for the Ops page: uptime, memory, collections.</summary>
public sealed record ProcessSample(TimeSpan Uptime, decimal ResidentMb, decimal HeapMb, int Gen2Collections);

/// <summary>What the dashboard's Ops page reads: the store's state and the process's health.</summary>
public sealed class OpsDesk
{
    private readonly IStore _store;
    private readonly TimeProvider _time;
    private readonly ApiKeyRegistry _keys;

    internal OpsDesk(IStore store, TimeProvider time, ApiKeyRegistry keys)
    {
        _store = store;
        _time = time;
        _keys = keys;
    }

    /// <summary>Whether the key is still valid with this role (a dashboard session re-checks it every few seconds).</summary>
    public bool KeyIsActive(string id, Role role) => _keys.ById(id) is { } key && key.Role == role;

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
