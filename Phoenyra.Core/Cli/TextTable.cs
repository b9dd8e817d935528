using System.Text;

namespace Phoenyra.Core.Cli;

/// <summary>A plain-text table with aligned columns for command-line output.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public TextTable Add(params object?[] cells)
    {
        _rows.Add(cells.Select(c => Convert.ToString(c, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => i < r.Length ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        var output = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            output.AppendLine(string.Join("  ", widths.Select((w, i) => (i < cells.Count ? cells[i] : "").PadRight(w))).TrimEnd());
        Line(headers);
        Line(widths.Select(w => new string('-', w)).ToArray());
        foreach (var row in _rows) Line(row);
        return output.ToString();
    }
}
