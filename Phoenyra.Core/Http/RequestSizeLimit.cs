using Microsoft.AspNetCore.Http.Metadata;

namespace Phoenyra.Core.Http;

/// <summary>Endpoint metadata: bodies above this size get 413 before any parsing.</summary>
public sealed class RequestSizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}

/// <summary>Why an operator acts: required, so the audit log says it.</summary>
public sealed record ReasonRequest(string? Reason)
{
    public static string? Problem(ReasonRequest? body) => body?.Reason?.Trim() switch
    {
        null or "" => "is required: say why (it goes into the audit log)",
        { Length: > 200 } => "must be at most 200 characters",
        { } text when text.Any(char.IsControl) => "must be one line of text (no control characters such as CR, LF or NUL)",
        _ => null,
    };
}
