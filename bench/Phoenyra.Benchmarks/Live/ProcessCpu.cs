using System.Globalization;

namespace Phoenyra.Benchmarks.Live;

/// <summary>User plus system CPU of processes picked by their command line, from /proc (Linux).</summary>
internal static class ProcessCpu
{
    public static bool Desk(string commandLine) => commandLine.Contains("Phoenyra.Web", StringComparison.Ordinal) && !commandLine.Contains("Phoenyra.Benchmarks", StringComparison.Ordinal);

    public static bool Browser(string commandLine) => commandLine.Contains("chrom", StringComparison.OrdinalIgnoreCase) || commandLine.Contains("headless_shell", StringComparison.Ordinal);

    public static double Seconds(Func<string, bool> pick)
    {
        double total = 0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!pick(commandLine)) continue;
                total += OfStat(File.ReadAllText(Path.Combine(dir, "stat")));
            }
            catch (IOException) { } // the process ended meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return total;
    }

    public static double OfPid(int pid) => OfStat(File.ReadAllText($"/proc/{pid}/stat"));

    // Fields 14 and 15 of /proc/PID/stat (after the command name in parentheses): user and system ticks.
    private static double OfStat(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
