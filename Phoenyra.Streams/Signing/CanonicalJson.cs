using System.Globalization;
using System.Text;

namespace Phoenyra.Streams.Signing;

/// <summary>
/// Writes stream payloads in the one byte form every seed verifier reproduces: Python's
/// <c>json.dumps(data, separators=(',',':'))</c> and Node's <c>JSON.stringify(data)</c> after parsing.
/// That means: keys in the order written (never integer-like, which JavaScript would reorder),
/// printable ASCII strings only, and numbers the way both languages print a parsed double:
/// integers without ".0", no trailing zeros, no exponent, no "-0".
/// </summary>
internal sealed class CanonicalJson
{
    /// <summary>Fractional digits kept; 0.0001 is the smallest magnitude Python prints without an exponent.</summary>
    public const int MaxScale = 4;

    /// <summary>Beyond 2^53 a parsed JavaScript number no longer prints the same integer.</summary>
    public const decimal MaxMagnitude = 9_007_199_254_740_991m;

    private readonly StringBuilder _text = new(256);
    private bool _first = true;

    public CanonicalJson() => _text.Append('{');

    public CanonicalJson String(string name, string? value)
    {
        Name(name);
        if (value is null) _text.Append("null");
        else Quoted(value);
        return this;
    }

    public CanonicalJson Number(string name, decimal? value)
    {
        Name(name);
        _text.Append(value is { } v ? FormatNumber(v) : "null");
        return this;
    }

    public CanonicalJson Integer(string name, long? value)
    {
        Name(name);
        if (value is { } v && Math.Abs((decimal)v) > MaxMagnitude) throw new ArgumentOutOfRangeException(name, v, "beyond 2^53");
        _text.Append(value is { } i ? i.ToString(CultureInfo.InvariantCulture) : "null");
        return this;
    }

    public CanonicalJson Bool(string name, bool value)
    {
        Name(name);
        _text.Append(value ? "true" : "false");
        return this;
    }

    public CanonicalJson Time(string name, DateTimeOffset value) =>
        String(name, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    /// <summary>The finished object as UTF-8 (which, being ASCII, is also its Latin-1 and UTF-16 form).</summary>
    public byte[] ToUtf8()
    {
        _text.Append('}');
        return Encoding.ASCII.GetBytes(_text.ToString());
    }

    /// <summary>
    /// A number rounded to <see cref="MaxScale"/> decimals, in its shortest form. At most 15
    /// significant digits survive, so the text is also the shortest round-trip form of the double
    /// a parser reads from it: what Python's repr and JavaScript's ToString print.
    /// </summary>
    public static string FormatNumber(decimal value)
    {
        if (Math.Abs(value) > MaxMagnitude) throw new ArgumentOutOfRangeException(nameof(value), value, "beyond 2^53");
        var rounded = Math.Round(value, MaxScale, MidpointRounding.ToEven);
        var integerDigits = Math.Abs(decimal.Truncate(rounded)).ToString(CultureInfo.InvariantCulture).Length;
        if (rounded != decimal.Truncate(rounded) && integerDigits + MaxScale > 15)
            rounded = Math.Round(rounded, Math.Max(0, 15 - integerDigits), MidpointRounding.ToEven);
        if (rounded == 0) return "0";
        return (rounded / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Stream text must be printable ASCII; anything else is a bug upstream (inputs are validated).</summary>
    public static bool IsStreamSafe(string value)
    {
        foreach (var c in value)
            if (c is < ' ' or > '~') return false;
        return true;
    }

    private void Name(string name)
    {
        if (!_first) _text.Append(',');
        _first = false;
        Quoted(name);
        _text.Append(':');
    }

    private void Quoted(string value)
    {
        if (!IsStreamSafe(value)) throw new ArgumentException($"'{value}' is not printable ASCII; it cannot be signed byte-identically for Python and Node verifiers.", nameof(value));
        _text.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') _text.Append('\\');
            _text.Append(c);
        }
        _text.Append('"');
    }
}
