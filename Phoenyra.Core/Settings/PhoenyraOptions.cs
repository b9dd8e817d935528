namespace Phoenyra.Core.Settings;

/// <summary>Host-wide settings under the <c>Phoenyra</c> section.</summary>
public sealed class PhoenyraOptions : IValidatedSettings
{
    public const string Section = "Phoenyra";

    /// <summary>Folder for the SQLite store and log files; relative paths resolve against the working directory.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Full path of the data folder.</summary>
    public string DataDirFullPath => Path.GetFullPath(DataDir);

    public IEnumerable<SettingsError> Validate(string section)
    {
        var key = $"{section}:{nameof(DataDir)}";
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            yield return new SettingsError(key, "is empty; it must name a writable folder such as ./data");
            yield break;
        }
        var problem = WritableFolderProblem(DataDir);
        if (problem is not null) yield return new SettingsError(key, $"'{DataDir}' is not a writable folder ({problem})");
    }

    private static string? WritableFolderProblem(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return ex.Message;
        }
    }
}
