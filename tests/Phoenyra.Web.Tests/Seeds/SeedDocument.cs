using System.Text.RegularExpressions;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Seeds;

/// <summary>A fenced code block of a seed document, with the prose line just above it ("Response:", "**Body Example:**").</summary>
internal sealed record CodeBlock(string Language, string Text, string Lead, int Line);

/// <summary>A curl command as the document writes it (continuation lines joined), and the answer it documents, if any.</summary>
internal sealed record CurlExample(string Command, CodeBlock? DocumentedResponse, int Line);

/// <summary>
/// One of the source documents in ../shared/seeds, read in place: its fenced code blocks and the
/// curl commands in them, so a test can run the examples exactly as a user copies them.
/// </summary>
internal sealed partial class SeedDocument
{
    private SeedDocument(string name, string text)
    {
        Name = name;
        Text = text;
        Blocks = Parse(text);
    }

    public string Name { get; }
    public string Text { get; }
    public IReadOnlyList<CodeBlock> Blocks { get; }

    public static string Folder => Path.Combine(SharedData.Folder ?? throw new InvalidOperationException("../shared not found (set PHOENYRA_SHARED_DATA)"), "..", "seeds");

    /// <summary>The document whose file name starts with <paramref name="number"/> ("000").</summary>
    public static SeedDocument Load(string number)
    {
        var file = Directory.GetFiles(Folder, number + "_*.txt").Single();
        return new SeedDocument(Path.GetFileName(file), File.ReadAllText(file));
    }

    /// <summary>Every curl command in the document's shell blocks, in order; a JSON block led by "Response:" documents the block before it.</summary>
    public IReadOnlyList<CurlExample> Curls()
    {
        var examples = new List<CurlExample>();
        for (var i = 0; i < Blocks.Count; i++)
        {
            var block = Blocks[i];
            if (block.Language is not ("bash" or "sh" or "") || block.Text.StartsWith("#!", StringComparison.Ordinal)) continue;
            var response = i + 1 < Blocks.Count && Blocks[i + 1].Language == "json" && Blocks[i + 1].Lead.StartsWith("Response", StringComparison.Ordinal) ? Blocks[i + 1] : null;
            foreach (var command in Commands(block.Text).Where(c => c.StartsWith("curl ", StringComparison.Ordinal)))
                examples.Add(new CurlExample(command, response, block.Line));
        }
        return examples;
    }

    public CodeBlock Block(string language, string containing) =>
        Blocks.First(b => b.Language == language && b.Text.Contains(containing, StringComparison.Ordinal));

    /// <summary>Shell lines with their backslash continuations joined; comments and blank lines dropped.</summary>
    private static IEnumerable<string> Commands(string script)
    {
        var joined = ContinuationRegex().Replace(script, " ");
        return joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));
    }

    private static List<CodeBlock> Parse(string text)
    {
        var blocks = new List<CodeBlock>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var lead = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
            {
                if (lines[i].Trim().Length > 0) lead = lines[i].Trim();
                continue;
            }
            var indent = lines[i].Length - fence.Length;
            var language = fence[3..].Trim();
            var body = new List<string>();
            var start = i + 1;
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                body.Add(lines[i].Length >= indent && string.IsNullOrWhiteSpace(lines[i][..indent]) ? lines[i][indent..] : lines[i]);
            blocks.Add(new CodeBlock(language, string.Join('\n', body), lead.Trim('*', ' '), start));
            lead = "";
        }
        return blocks;
    }

    [GeneratedRegex(@"\\\s*\n\s*")]
    private static partial Regex ContinuationRegex();
}
