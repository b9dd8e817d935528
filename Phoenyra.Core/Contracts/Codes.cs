namespace Phoenyra.Core.Contracts;

/// <summary>
/// Enum values as clients see them (snake_case: <c>partially_filled</c>, <c>max_order_size</c>), the
/// same in API answers, metrics labels, stream messages and the dashboard.
/// </summary>
public static class Codes
{
    public static string Of<T>(T value) where T : struct, Enum =>
        Cache<T>.Names.TryGetValue(value, out var name) ? name : Convert(value);

    private static string Convert<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Each enum's codes, made once: the order path writes them into metrics tags and history rows.</summary>
    private static class Cache<T> where T : struct, Enum
    {
        public static readonly IReadOnlyDictionary<T, string> Names = Enum.GetValues<T>().Distinct().ToDictionary(v => v, Convert);
    }

    /// <summary>The enum value whose code is <paramref name="code"/> (case-insensitive); numbers and unknown names fail.</summary>
    public static bool TryParse<T>(string? code, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
            if (string.Equals(Of(candidate), code, StringComparison.OrdinalIgnoreCase)) { value = candidate; return true; }
        value = default;
        return false;
    }
}
