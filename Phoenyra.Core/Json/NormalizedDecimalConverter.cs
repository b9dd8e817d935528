using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phoenyra.Core.Json;

/// <summary>
/// Writes decimals in their shortest form (5.0 → 5, 114.50 → 114.5), as JavaScript and Python
/// print numbers, so API answers and signed stream bytes don't depend on a value's internal scale.
/// </summary>
public sealed class NormalizedDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteRawValue(Normalize(value).ToString(CultureInfo.InvariantCulture), skipInputValidation: true);

    /// <summary>The same value with trailing zeros removed from its scale.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;
}
