using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Phoenyra.Core.Http;

namespace Phoenyra.Ops.Http;

/// <summary>
/// One body limit for every endpoint (<see cref="DefaultBytes"/>), raised or lowered per endpoint
/// with <see cref="RequestSizeLimit"/> metadata. A declared length above it is a 413 problem
/// document before anything is read; a chunked body is cut off by the server at the same limit.
/// </summary>
internal static class BodySizeLimit
{
    public const long DefaultBytes = 64 * 1024;

    public static Task Enforce(HttpContext context, RequestDelegate next)
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = metadata is null ? DefaultBytes : metadata.MaxRequestBodySize;
        if (limit is null) return next(context);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        return context.Request.ContentLength > limit
            ? Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "Payload too large",
                $"The body is {context.Request.ContentLength} bytes; {context.Request.Path} takes at most {limit} bytes.")
            : next(context);
    }
}
