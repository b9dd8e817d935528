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
    private readonly ApiKeyRegistry _keys;
    private readonly ReservedAccounts _reserved;
    private readonly Core.Audit.IAuditLog _audit;
    private readonly Alerts.AlertInbox _alerts;

    internal OpsDesk(IStore store, TimeProvider time, SessionBook sessions, ApiKeyRegistry keys, ReservedAccounts reserved, Core.Audit.IAuditLog audit, Alerts.AlertInbox alerts)
    {
        _store = store;
        _time = time;
        _sessions = sessions;
        _keys = keys;
        _reserved = reserved;
        _audit = audit;
        _alerts = alerts;
    }

    /// <summary>The audit log, newest first, filtered and paged.</summary>
    public Task<IReadOnlyList<Core.Audit.AuditEntry>> Audit(Core.Audit.AuditQuery query) => _audit.Query(query).AsTask();

    /// <summary>Every key the desk accepts (ids, roles, sources; never secrets).</summary>
    public IReadOnlyList<ApiKeyInfo> Keys => _keys.List();

    /// <summary>Creates a stored key (audited); the secret is returned once. A bad or taken id says why instead.</summary>
    public async Task<(ApiKeyInfo? Key, string? Secret, string? Problem)> CreateKey(string? id, Role role, string actor)
    {
        var problem = !KeyIds.IsValid(id) ? "an id is 1-64 of a-z, 0-9, '-', '_'" : _reserved.Problem(id);
        if (problem is null)
        {
            try
            {
                var (info, secret) = _keys.Create(id!, role);
                await Core.Audit.AuditJson.Record(_audit, actor, "key.create", null, new { id = info.Id, role = info.Role }, "ok");
                return (info, secret, null);
            }
            catch (InvalidOperationException ex)
            {
                problem = ex.Message;
            }
        }
        await Core.Audit.AuditJson.Record(_audit, actor, "key.create", null, new { id, role }, "rejected: " + problem);
        return (null, null, problem);
    }

    /// <summary>Revokes a stored key (audited): its streams close, its sessions end and, with <paramref name="cancelOrders"/>, its resting orders are cancelled.</summary>
    public async Task<bool> RevokeKey(string id, string actor, bool cancelOrders = false)
    {
        var before = _keys.List().FirstOrDefault(k => k.Id == id);
        var revoked = await _keys.Revoke(id, actor, cancelOrders);
        await Core.Audit.AuditJson.Record(_audit, actor, "key.revoke", before, new { id, cancel_orders = cancelOrders }, revoked ? "ok" : "rejected: no stored key with this id");
        return revoked;
    }

    /// <summary>The alerts Alertmanager delivered, newest first, with what the desk did.</summary>
    public IReadOnlyList<Alerts.ReceivedAlert> ReceivedAlerts => _alerts.Recent();

    /// <summary>Whether a dashboard session may go on (an open page re-checks every few seconds): not signed out, not too old, its key valid.</summary>
    public bool SessionIsValid(System.Security.Claims.ClaimsPrincipal user) => _sessions.IsValid(user);

    /// <summary>The store as people read it: "SQLite (WAL)" or "PostgreSQL", and where (never a password).</summary>
    public (string Kind, string Location) Store => (_store.Provider == Core.Storage.StoreProvider.Postgres ? "PostgreSQL" : "SQLite (WAL)", _store.Location);

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
