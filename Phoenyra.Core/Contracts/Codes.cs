namespace Phoenyra.Core.Contracts;

/// <summary>
/// Enum values as clients see them (snake_case: <c>partially_filled</c>, <c>max_order_size</c>), the
/// same in API answers, metrics labels, stream messages and the dashboard.
/// </summary>
public static class Codes
{
    public static string Of<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
