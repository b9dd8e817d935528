using Microsoft.Extensions.DependencyInjection;

namespace Phoenyra.Core.Security;

/// <summary>An account (and so an API key id) the desk itself uses: the simulated market maker, the auto-trader, a strategy, an audit actor.</summary>
public sealed record ReservedAccount(string Id, string Owner);

/// <summary>One module's reserved accounts, read from its settings when asked.</summary>
public sealed class ReservedAccountSource(Func<IServiceProvider, IEnumerable<ReservedAccount>> accounts)
{
    internal IEnumerable<ReservedAccount> Accounts(IServiceProvider services) => accounts(services);
}

/// <summary>
/// Every account the desk uses itself. A key id is an account, so no key may take one of these ids:
/// it would see and cancel that account's orders or speak as it in the audit log.
/// </summary>
public sealed class ReservedAccounts(IServiceProvider services, IEnumerable<ReservedAccountSource> sources)
{
    /// <summary>Actors the audit log names for the desk itself.</summary>
    private static readonly ReservedAccount[] SystemActors =
        new[] { "anonymous", "cli", "system", "startup", "file-watch", "alertmanager", "bess" }.Select(id => new ReservedAccount(id, "the desk's audit log")).ToArray();

    public ReservedAccount? Find(string? id) =>
        id is null ? null : SystemActors.Concat(sources.SelectMany(Accounts)).FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.OrdinalIgnoreCase));

    // A module whose settings are invalid reports that itself at start; here it reserves nothing.
    private IEnumerable<ReservedAccount> Accounts(ReservedAccountSource source)
    {
        try
        {
            return source.Accounts(services).ToList();
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException)
        {
            return [];
        }
    }

    // Trading accounts are key ids (a bounded set) and the reserved ones come from settings fixed for the process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _desksOwn = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a trading account is one the desk uses itself; remembered per account, as the order path asks on every order.</summary>
    public bool IsDesksOwn(string account) => _desksOwn.GetOrAdd(account, static (a, self) => self.Find(a) is not null, this); // per trade: no delegate per call

    /// <summary>Why <paramref name="id"/> cannot be a key id, or null when it can.</summary>
    public string? Problem(string? id) => Find(id) is { } reserved ? $"'{reserved.Id}' is reserved for {reserved.Owner}; choose another id" : null;
}

public static class ReservedAccountRegistration
{
    /// <summary>Registers accounts a module uses itself (read from its settings when asked).</summary>
    public static IServiceCollection AddReservedAccounts(this IServiceCollection services, Func<IServiceProvider, IEnumerable<ReservedAccount>> accounts) =>
        services.AddSingleton(new ReservedAccountSource(accounts));
}
