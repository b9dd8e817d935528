using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Security;
using Phoenyra.Ops.Auth;

namespace Phoenyra.Ops.Tests;

/// <summary>API keys as an operator manages them: shown once, stored as hashes, revoked for good.</summary>
public sealed class ApiKeyRegistryTests
{
    [Fact]
    public async Task ACreatedKey_AuthenticatesBySecret_AndOnlyItsHashIsStored()
    {
        await using var host = await OpsHost.Start();
        var registry = host.Services.GetRequiredService<ApiKeyRegistry>();

        var (info, secret) = registry.Create("desk-bot", Role.Trader);

        Assert.Equal(("desk-bot", Role.Trader), (registry.Find(secret)!.Id, registry.Find(secret)!.Role));
        Assert.Null(registry.Find(secret + "x"));
        using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sha256 FROM api_keys WHERE id = 'desk-bot'";
        var stored = (string)command.ExecuteScalar()!;
        Assert.Equal(ApiKeyHash.HexDigest(secret), stored);
        foreach (var file in Directory.GetFiles(host.DataDir, "phoenyra.db*")) // the database and its WAL
            Assert.DoesNotContain(secret, await File.ReadAllTextAsync(file));
        Assert.Equal("trader", info.Role.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task ARevokedKey_StaysRevokedAfterARestart_AndItsIdIsNotReused()
    {
        await using var host = await OpsHost.Start();
        var (_, secret) = host.Services.GetRequiredService<ApiKeyRegistry>().Create("desk-bot", Role.Viewer);
        Assert.True(await host.Services.GetRequiredService<ApiKeyRegistry>().Revoke("desk-bot", "test"));

        await host.Restart();
        var registry = host.Services.GetRequiredService<ApiKeyRegistry>();

        Assert.Null(registry.Find(secret));
        var reuse = Assert.Throws<InvalidOperationException>(() => registry.Create("desk-bot", Role.Viewer));
        Assert.Contains("ids are not reused", reuse.Message);
    }

    [Fact]
    public async Task TheAuditLog_IsAppendOnly_EvenForRawSql()
    {
        await using var host = await OpsHost.Start();
        await host.Services.GetRequiredService<IAuditLog>().Record("ops-admin", "key.create", null, new { id = "desk-bot", role = Role.Trader }, "ok");

        using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        connection.Open();
        using var tamper = connection.CreateCommand();
        tamper.CommandText = "UPDATE audit_log SET actor = 'someone-else'";

        var error = Assert.Throws<SqliteException>(() => tamper.ExecuteNonQuery());
        Assert.Contains("append-only", error.Message);
        var entry = Assert.Single(await host.Services.GetRequiredService<IAuditLog>().Query(new AuditQuery(Action: "key.create")));
        Assert.Equal("{\"id\":\"desk-bot\",\"role\":\"trader\"}", entry.After);
    }
}
