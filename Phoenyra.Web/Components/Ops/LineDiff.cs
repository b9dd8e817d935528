namespace Phoenyra.Web.Components.Ops;

/// <summary>One line of a diff: kept (' '), removed ('-') or added ('+').</summary>
public readonly record struct DiffLine(char Kind, string Text);

/// <summary>A line diff by longest common subsequence (policy files are a few hundred lines at most).</summary>
public static class LineDiff
{
    public static IReadOnlyList<DiffLine> Of(string before, string after)
    {
        var a = before.Replace("\r\n", "\n").Split('\n');
        var b = after.Replace("\r\n", "\n").Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        var lines = new List<DiffLine>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { lines.Add(new(' ', a[x])); x++; y++; }
            else if (common[x + 1, y] >= common[x, y + 1]) lines.Add(new('-', a[x++]));
            else lines.Add(new('+', b[y++]));
        }
        while (x < a.Length) lines.Add(new('-', a[x++]));
        while (y < b.Length) lines.Add(new('+', b[y++]));
        return lines;
    }
}
