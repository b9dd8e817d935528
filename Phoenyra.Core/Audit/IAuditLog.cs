using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>How audit entries describe state: JSON from a serializer, snake_case names and enum codes, like the API.</summary>
public static class AuditJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string? Of(object? state) => state is null ? null : JsonSerializer.Serialize(state, state.GetType(), Options);

    /// <summary>Appends an entry whose before and after states are objects, written as JSON.</summary>
    public static ValueTask<AuditEntry> Record(this IAuditLog log, string actor, string action, object? before, object? after, string result, CancellationToken cancellationToken = default) =>
        log.Append(actor, action, Of(before), Of(after), result, cancellationToken);
}
