using Microsoft.Extensions.Options;
using Phoenyra.Bess.Sites;
using Phoenyra.Core.Prices;

namespace Phoenyra.Bess.Optimisation;

/// <summary>A price CSV the optimiser can run on: its file name and full path.</summary>
public sealed record PriceFile(string Name, string Path);

/// <summary>
/// Where the optimiser's price files come from: <see cref="BessOptions.PriceFolder"/>, else the
/// reference data (<c>shared/data/prices</c>) found above the working directory or the binary.
/// </summary>
internal sealed class PriceLibrary(IOptions<BessOptions> options)
{
    /// <summary>Largest upload the panel accepts (a year of 15-minute rows is about 3 MB).</summary>
    public const long MaxUploadBytes = 5 * 1024 * 1024;

    /// <summary>Most steps the panel optimises (five years of 15-minute prices), and most bad rows it reads past.</summary>
    public const int MaxRows = 175_400, MaxErrors = 1_000;

    public string? Folder => options.Value.PriceFolder is { Length: > 0 } configured ? configured : FindShared();

    public IReadOnlyList<PriceFile> Files() =>
        Folder is { } folder && Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).Select(p => new PriceFile(Path.GetFileName(p), p)).ToList()
            : [];

    /// <summary>Reads one of <see cref="Files"/>; a path outside the library is refused.</summary>
    public PriceSeries Read(string path) =>
        Files().Any(f => f.Path == path) ? CsvPriceFile.Parse(File.ReadLines(path), MaxRows, MaxErrors) : throw new FileNotFoundException($"'{Path.GetFileName(path)}' is not one of the offered price files.");

    public static async Task<PriceSeries> ReadUpload(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line && lines.Count <= MaxRows + MaxErrors + 1) lines.Add(line);
        return CsvPriceFile.Parse(lines, MaxRows, MaxErrors);
    }

    private static string? FindShared()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "prices");
                if (Directory.Exists(candidate)) return candidate;
            }
        return null;
    }
}
