using Microsoft.AspNetCore.Http.Metadata;

namespace Phoenyra.Trading.Api;

/// <summary>Endpoint metadata: bodies above this size get 413 before any parsing.</summary>
internal sealed class RequestSizeLimit(long bytes) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = bytes;
}
