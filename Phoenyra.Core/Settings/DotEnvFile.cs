namespace Phoenyra.Core.Settings;

/// <summary>
/// A <c>.env</c> file as the flash-arb templates write it: <c>KEY=VALUE</c> lines, <c>#</c> comments,
/// an optional <c>export </c>, values optionally in single or double quotes. Loaded into the
/// process environment before the host reads its configuration; a variable the environment already
/// has wins. (DotNetEnv 3.0.0 cannot be restored here: it needs NETStandard.Library 1.6.1, whose
/// runtime packages the mirror lacks; the format is small enough to read ourselves.)
/// </summary>
public static class DotEnvFile
{
    /// <summary>Loads <paramref name="path"/> when it exists (without overriding the environment); the variables it set.</summary>
    public static IReadOnlyList<string> LoadIfPresent(string path)
    {
        if (!File.Exists(path)) return [];
        var loaded = new List<string>();
        foreach (var (key, value) in Read(File.ReadLines(path)))
        {
            if (Environment.GetEnvironmentVariable(key) is not null) continue;
            Environment.SetEnvironmentVariable(key, value);
            loaded.Add(key);
        }
        return loaded;
    }

    /// <summary>The file's variables in order, without touching the environment; lines that are not KEY=VALUE are skipped.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(IEnumerable<string> lines)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line.StartsWith("export ", StringComparison.Ordinal)) line = line[7..].TrimStart();
            var equals = line.IndexOf('=');
            if (equals <= 0) continue;
            var key = line[..equals].Trim();
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) continue;
            variables.Add(new(key, Value(line[(equals + 1)..].Trim())));
        }
        return variables;
    }

    private static string Value(string text)
    {
        if (text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text.IndexOf(text[0], 1) is var close and > 0)
            return text[0] == '"' ? text[1..close].Replace("\\n", "\n", StringComparison.Ordinal) : text[1..close];
        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? text[..comment] : text).Trim();
    }
}
