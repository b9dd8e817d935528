using Phoenyra.Core.Prices;

namespace Phoenyra.Web.Components.Bess;

/// <summary>Price CSVs the optimiser panel offers: the configured folder, else ../shared/data/prices found above the working directory.</summary>
internal static class PriceFiles
{
    public static IReadOnlyList<string> List(IConfiguration configuration)
    {
        var folder = configuration["Phoenyra:Bess:PriceFolder"] is { Length: > 0 } configured ? configured : FindShared();
        return folder is not null && Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public static async Task<PriceSeries> ReadUpload(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (await reader.ReadLineAsync() is { } line) lines.Add(line);
        return CsvPriceFile.Parse(lines);
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
