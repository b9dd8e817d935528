using System.Text.Json;

namespace Phoenyra.Web.Tests.Seeds;

/// <summary>Whether an answer carries every field a seed documents for it (ours may add fields beside them).</summary>
internal static class JsonShape
{
    /// <summary>Paths present in <paramref name="documented"/> and absent from <paramref name="actual"/>; arrays compare their first elements.</summary>
    public static List<string> Missing(JsonElement documented, JsonElement actual, string path = "$")
    {
        var missing = new List<string>();
        switch (documented.ValueKind)
        {
            case JsonValueKind.Object when actual.ValueKind == JsonValueKind.Object:
                foreach (var field in documented.EnumerateObject())
                {
                    if (actual.TryGetProperty(field.Name, out var value)) missing.AddRange(Missing(field.Value, value, $"{path}.{field.Name}"));
                    else missing.Add($"{path}.{field.Name}");
                }
                break;
            case JsonValueKind.Object:
                missing.Add($"{path} (an object, found {actual.ValueKind})");
                break;
            case JsonValueKind.Array when actual.ValueKind != JsonValueKind.Array:
                missing.Add($"{path} (an array, found {actual.ValueKind})");
                break;
            case JsonValueKind.Array when documented.GetArrayLength() > 0 && actual.GetArrayLength() > 0:
                missing.AddRange(Missing(documented[0], actual[0], $"{path}[0]"));
                break;
        }
        return missing;
    }

    public static List<string> Missing(string documented, string actual) =>
        Missing(JsonDocument.Parse(documented).RootElement, JsonDocument.Parse(actual).RootElement);
}
