using System.Globalization;
using System.Text;

namespace Phoenyra.Core.Metrics;

/// <summary>Labels sorted by name, so the same tags in any order make the same series.</summary>
internal sealed class LabelSet(KeyValuePair<string, string>[] pairs, string key)
{
    public static readonly LabelSet Empty = new([], "");

    public KeyValuePair<string, string>[] Pairs { get; } = pairs;
    public string Key { get; } = key;

    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty) return Empty;
        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
            pairs[i] = new(PrometheusText.SanitizeLabelName(tags[i].Key),
                Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? "");
        Array.Sort(pairs, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var key = new StringBuilder();
        foreach (var (name, value) in pairs) key.Append(name).Append('\0').Append(value).Append('\0');
        return new LabelSet(pairs, key.ToString());
    }
}
