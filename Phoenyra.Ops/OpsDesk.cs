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
    private readonly SessionBook _sessions;

    internal OpsDesk(IStore store, TimeProvider time, SessionBook sessions)
    {
        _store = store;
        _time = time;
        _sessions = sessions;
    }

    /// <summary>Whether a dashboard session may go on (an open page re-checks every few seconds): not signed out, not too old, its key valid.</summary>
    public bool SessionIsValid(System.Security.Claims.ClaimsPrincipal user) => _sessions.IsValid(user);

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
