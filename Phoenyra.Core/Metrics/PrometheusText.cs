using System.Globalization;
using System.Text;

namespace Phoenyra.Core.Metrics;

/// <summary>Prometheus text exposition format 0.0.4: names, escaping and number formatting.</summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string SanitizeName(string name) => Sanitize(name, allowColon: true);

    public static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            builder.Append(ok ? c : '_');
        }
        if (builder.Length == 0 || char.IsAsciiDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    public static string EscapeHelp(string text) => text.Replace("\\", @"\\").Replace("\n", @"\n");

    public static string EscapeLabelValue(string text) => text.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static void WriteFamily(StringBuilder output, MetricFamily family)
    {
        var series = family.Series.OrderBy(s => s.Labels.Key, StringComparer.Ordinal).ToList();
        if (series.Count == 0) return;
        var type = family.Kind switch { MetricKind.Counter => "counter", MetricKind.Histogram => "histogram", _ => "gauge" };
        output.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
        output.Append("# TYPE ").Append(family.Name).Append(' ').Append(type).Append('\n');
        foreach (var s in series)
        {
            if (family.Kind != MetricKind.Histogram)
            {
                WriteSample(output, family.Name, s.Labels.Pairs, null, s.Value);
                continue;
            }
            var cumulative = s.CumulativeBuckets();
            for (var i = 0; i < s.Bounds.Length; i++)
                WriteSample(output, family.Name + "_bucket", s.Labels.Pairs, FormatNumber(s.Bounds[i]), cumulative[i]);
            var count = s.Count;
            WriteSample(output, family.Name + "_bucket", s.Labels.Pairs, "+Inf", count);
            WriteSample(output, family.Name + "_sum", s.Labels.Pairs, null, s.Sum);
            WriteSample(output, family.Name + "_count", s.Labels.Pairs, null, count);
        }
    }

    private static void WriteSample(StringBuilder output, string name, KeyValuePair<string, string>[] labels, string? le, double value)
    {
        output.Append(name);
        if (labels.Length > 0 || le is not null)
        {
            output.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                if (!first) output.Append(',');
                output.Append(key).Append("=\"").Append(EscapeLabelValue(labelValue)).Append('"');
                first = false;
            }
            if (le is not null) output.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            output.Append('}');
        }
        output.Append(' ').Append(FormatNumber(value)).Append('\n');
    }
}
