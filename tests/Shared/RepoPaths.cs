namespace Phoenyra.Tests.Shared;

/// <summary>Paths inside the checkout, found from a test's output folder (linked into each test project that needs it).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The desk's own executable, built for the same configuration, framework and runtime as the calling tests.</summary>
    public static string DeskBinary
    {
        get
        {
            // tests/<project>/bin/<Configuration>/<tfm>/<rid>/ → the same shape under Phoenyra.Web.
            var rid = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var tfm = rid.Parent!;
            var configuration = tfm.Parent!;
            return Path.Combine(Root, "Phoenyra.Web", "bin", configuration.Name, tfm.Name, rid.Name, "Phoenyra.Web");
        }
    }

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Phoenyra.sln"))) return dir.FullName;
        throw new InvalidOperationException("Phoenyra.sln not found above the test output.");
    }
}
