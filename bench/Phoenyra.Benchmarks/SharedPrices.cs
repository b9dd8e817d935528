namespace Phoenyra.Benchmarks;

/// <summary>The reference price files in <c>shared/data/prices</c>, found from the binary's folder upwards (never copied in).</summary>
internal static class SharedPrices
{
    public static string File(string name)
    {
        if (Environment.GetEnvironmentVariable("PHOENYRA_SHARED_DATA") is { Length: > 0 } root && System.IO.File.Exists(Path.Combine(root, "prices", name)))
            return Path.Combine(root, "prices", name);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "prices", name);
            if (System.IO.File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"../shared/data/prices/{name} (or set PHOENYRA_SHARED_DATA)");
    }
}
