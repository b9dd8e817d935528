using Phoenyra.Core.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Cli;
using Phoenyra.Core.Security;
using Phoenyra.Core.Storage;
using Phoenyra.Ops.Auth;

namespace Phoenyra.Ops.Cli;

/// <summary>
/// <c>keys list | create --id ID --role ROLE | revoke --id ID [--cancel-orders]</c>: bootstrap and manage API keys in
/// the store, with or without a running desk (which picks a change up within
/// <see cref="AuthOptions.KeyRefreshSeconds"/>). Changes are audited with actor <c>cli</c>.
/// <c>--cancel-orders</c> has the desk cancel the key's resting orders (at once if it runs, else at its next start).
/// </summary>
public static class KeysCommand
{
    public const string Usage = """
        usage: Phoenyra.Web keys list
               Phoenyra.Web keys create --id ID --role viewer|trader|admin|device|alertmanager
               Phoenyra.Web keys revoke --id ID [--cancel-orders]
        """;

    public static async Task<int> Run(IServiceProvider services, IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        services.GetRequiredService<IStore>().Migrate();
        var registry = services.GetRequiredService<ApiKeyRegistry>();
        var audit = services.GetRequiredService<IAuditLog>();
        registry.LoadFromStore();
        var verb = args.Count > 0 ? args[0] : "list";
        var id = Option(args, "--id");
        switch (verb)
        {
            case "list":
                var table = new TextTable("id", "role", "created (UTC)");
                foreach (var key in registry.List()) table.Add(key.Id, Codes.Of(key.Role), key.CreatedUtc?.ToString("u"));
                await output.WriteAsync(table.ToString());
                return 0;
            case "create":
                if (!KeyIds.IsValid(id) || !Enum.TryParse<Role>(Option(args, "--role"), true, out var role) || !Enum.IsDefined(role))
                {
                    await error.WriteLineAsync("keys create needs --id (1-64 of a-z, 0-9, '-', '_') and --role (viewer, trader, admin, device or alertmanager).\n" + Usage);
                    return 2;
                }
                if (services.GetRequiredService<ReservedAccounts>().Problem(id) is { } reserved)
                {
                    await error.WriteLineAsync($"keys create: {reserved}.");
                    return 2;
                }
                try
                {
                    var (info, secret) = registry.Create(id!, role);
                    await audit.Record("cli", "key.create", null, new { id = info.Id, role = info.Role }, "ok");
                    await output.WriteLineAsync($"Created {Codes.Of(info.Role)} key '{info.Id}'. Store it now; it is not shown again:\n{secret}");
                    return 0;
                }
                catch (InvalidOperationException ex)
                {
                    await error.WriteLineAsync(ex.Message);
                    return 1;
                }
            case "revoke":
                var cancelOrders = args.Contains("--cancel-orders");
                var revoked = id is not null && await registry.Revoke(id, "cli", cancelOrders);
                await audit.Record("cli", "key.revoke", new { id }, new { id, cancel_orders = cancelOrders }, revoked ? "ok" : "rejected: no stored key with this id");
                await (revoked
                    ? output.WriteLineAsync($"Revoked '{id}'." + (cancelOrders ? " The desk cancels its resting orders (within seconds if it runs, else when it starts)." : ""))
                    : error.WriteLineAsync($"No stored key '{id}'."));
                return revoked ? 0 : 1;
            default:
                await error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static string? Option(IReadOnlyList<string> args, string name)
    {
        for (var i = 0; i < args.Count - 1; i++)
            if (args[i] == name) return args[i + 1];
        return null;
    }
}
