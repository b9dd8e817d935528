using Microsoft.AspNetCore.Http;

namespace Phoenyra.Core.Http;

/// <summary>
/// Cross-site WebSocket hijacking guard: browsers send <c>Origin</c>, and it must be the desk itself
/// or one the operator allowed. Programs send none.
/// </summary>
public static class BrowserOrigin
{
    public static bool IsAllowed(HttpContext context, IEnumerable<string> allowed)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true;
        var own = $"{context.Request.Scheme}://{context.Request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            || allowed.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
