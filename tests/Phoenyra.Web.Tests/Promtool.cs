using System.Diagnostics;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>Runs the real promtool (installed by ./test.sh from Debian's prometheus package).</summary>
internal static class Promtool
{
    public static string Path =>
        Environment.GetEnvironmentVariable("PROMTOOL") is { Length: > 0 } configured ? configured
        : File.Exists(RepoPaths.File(".tools/bin/promtool")) ? RepoPaths.File(".tools/bin/promtool")
        : "promtool";

    public static Task<(int ExitCode, string Output)> CheckMetrics(string scrape) => Run("check metrics", scrape);

    public static async Task<(int ExitCode, string Output)> Run(string arguments, string? input = null)
    {
        var start = new ProcessStartInfo(Path, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        if (input is not null) await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
