namespace Phoenyra.Web.Components.Trading;

/// <summary>Enum values as the API spells them (snake_case), so the dashboard shows the same codes clients see.</summary>
internal static class Codes
{
    public static string Of<T>(T value) where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
