using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Storage;

namespace Phoenyra.Ops.Auth;

public static class StoreKeyRingSetup
{
    /// <summary>On PostgreSQL the key ring is the store's, shared by every desk of a cluster; on SQLite whatever was set before stays (files beside the store).</summary>
    public static IDataProtectionBuilder PersistKeysToStoreOnPostgres(this IDataProtectionBuilder builder)
    {
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IStore>((options, store) =>
        {
            if (store.Provider == StoreProvider.Postgres) options.XmlRepository = new StoreKeyRing(store);
        });
        return builder;
    }
}

/// <summary>
/// The dashboard's data-protection keys (sign-in cookies, circuits, antiforgery) in the store on PostgreSQL, so every
/// desk of a cluster reads the same key ring and a signed-in operator stays signed in through a takeover. Keys are
/// only ever added; the framework retires them itself. Encrypted with the certificate when one is configured.
/// </summary>
internal sealed class StoreKeyRing(IStore store) : IXmlRepository
{
    private const string Table = """
        CREATE TABLE data_protection_keys (
            name TEXT PRIMARY KEY,
            xml TEXT NOT NULL);
        """;

    public static readonly Migration Schema = new("ops", 5, "data-protection keys shared by the desks", Sqlite: Table, Postgres: Table);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = store.Open();
        using var command = connection.Command("SELECT xml FROM data_protection_keys ORDER BY name");
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read()) keys.Add(XElement.Parse(reader.GetString(0)));
        return keys;
    }

    /// <summary>Two desks creating their first key at once both keep theirs: each is a valid key of the ring.</summary>
    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = store.Open();
        using var command = connection.Command("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING");
        command.Parameter("@name", friendlyName);
        command.Parameter("@xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
