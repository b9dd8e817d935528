namespace Phoenyra.Core.Audit;

/// <summary>One control action: who (key id), what, the state before and after, the result, when (UTC).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset TimeUtc, string Actor, string Action, string? Before, string? After, string Result);

/// <summary>Filter and page for audit queries; newest first.</summary>
public sealed record AuditQuery(string? Actor = null, string? Action = null, DateTimeOffset? Since = null, long? BeforeId = null, int Limit = 100);

/// <summary>The append-only record of every control action. Entries can be added, never changed.</summary>
public interface IAuditLog
{
    ValueTask<AuditEntry> Append(string actor, string action, string? before, string? after, string result, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<AuditEntry>> Query(AuditQuery query, CancellationToken cancellationToken = default);
}
