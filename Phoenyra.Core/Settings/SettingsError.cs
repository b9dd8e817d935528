namespace Phoenyra.Core.Settings;

/// <summary>One invalid configuration value: the full key, what is wrong, and how to fix it (<paramref name="Fix"/> when the usual one does not fit).</summary>
public sealed record SettingsError(string Key, string Problem, string? Fix = null)
{
    /// <summary>The environment variable that overrides <see cref="Key"/> (ASP.NET's double-underscore form).</summary>
    public string EnvironmentVariable => Key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>An optional file setting that names no file: null when it is empty or the file is there.</summary>
    public static SettingsError? MissingFile(string key, string? path) =>
        string.IsNullOrWhiteSpace(path) || File.Exists(Path.GetFullPath(path)) ? null
            : new SettingsError(key, $"'{path}' is not a file (relative paths start from the folder the desk starts in)");

    public override string ToString() =>
        $"{Key}: {Problem}. Fix: {Fix ?? $"set {Key} in appsettings.json or the environment variable {EnvironmentVariable}"}.";
}

/// <summary>Settings that check themselves; failures stop start-up with one line per key.</summary>
public interface IValidatedSettings
{
    IEnumerable<SettingsError> Validate(string section);
}
