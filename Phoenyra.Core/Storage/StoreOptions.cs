using Npgsql;
using Phoenyra.Core.Settings;

namespace Phoenyra.Core.Storage;

/// <summary>
/// Where the desk keeps its store (<c>Phoenyra:Store</c>): SQLite in <c>Phoenyra:DataDir</c> unless
/// <see cref="Provider"/> is <c>postgres</c>, then the server <see cref="ConnectionString"/> names (or, when
/// that is empty, the <c>PHOENYRA_STORE</c> environment variable, so the password need not sit in a file).
/// </summary>
public sealed class StoreOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Store";
    public const string EnvironmentVariable = "PHOENYRA_STORE";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>An Npgsql connection string, e.g. <c>Host=db1,db2;Port=5432;Database=phoenyra;Username=desk;Target Session Attributes=primary</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public StoreProvider Kind => Provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) || Provider.Equals("postgresql", StringComparison.OrdinalIgnoreCase)
        ? StoreProvider.Postgres
        : StoreProvider.Sqlite;

    public IEnumerable<SettingsError> Validate(string section)
    {
        string[] known = ["sqlite", "postgres", "postgresql"];
        if (!known.Contains(Provider, StringComparer.OrdinalIgnoreCase))
        {
            yield return new SettingsError($"{section}:{nameof(Provider)}", $"is '{Provider}'; it must be sqlite or postgres");
            yield break;
        }
        var key = $"{section}:{nameof(ConnectionString)}";
        if (Kind == StoreProvider.Sqlite)
        {
            if (ConnectionString.Length > 0)
                yield return new SettingsError(key, "is set but the provider is sqlite (the SQLite file lives in Phoenyra:DataDir); set Phoenyra:Store:Provider to postgres to use it");
            yield break;
        }
        if (ConnectionString.Length == 0)
        {
            yield return new SettingsError(key, $"is empty; the postgres provider needs a connection string here or in {EnvironmentVariable}");
            yield break;
        }
        string? problem = null;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(builder.Host)) problem = "it names no Host";
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
        }
        // The message never repeats the string: it may hold a password.
        if (problem is not null) yield return new SettingsError(key, $"is not a valid PostgreSQL connection string ({problem})");
    }
}
