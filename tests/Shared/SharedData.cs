namespace Phoenyra.Tests.Shared;

/// <summary>
/// The reference data in ../shared/data (real prices, golden values), read in place and never
/// copied in. Found through PHOENYRA_SHARED_DATA (./test.sh sets it) or by walking up from the
/// test output. Tests that need it carry [Trait("Category", "SharedData")], so a machine without
/// the data can leave them out explicitly (./test.sh does, and says so).
/// </summary>
public static class SharedData
{
    public const string Category = "SharedData";

    public static string? Folder { get; } = Find();

    public static string PricesFile(string name) =>
        Folder is { } folder ? Path.Combine(folder, "prices", name)
        : throw new FileNotFoundException($"../shared/data not found (set PHOENYRA_SHARED_DATA); needed for prices/{name}");

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PHOENYRA_SHARED_DATA") is { Length: > 0 } configured && Directory.Exists(configured)) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "prices"))) return candidate;
        }
        return null;
    }
}
