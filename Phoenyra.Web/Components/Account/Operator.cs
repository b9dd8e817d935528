using System.Security.Claims;
using Phoenyra.Core.Security;

namespace Phoenyra.Web.Components.Account;

/// <summary>The signed-in operator as the dashboard sees them: the key id (orders' account, audit actor) and its role.</summary>
public sealed record Operator(string KeyId, Role Role)
{
    public static readonly Operator Nobody = new(CallerIdentity.Anonymous, Role.Device);

    public bool CanTrade => Role >= Role.Trader;

    public bool IsAdmin => Role == Role.Admin;

    public static Operator From(ClaimsPrincipal user) =>
        user.KnownKeyId() is { } id && user.Role() is { } role ? new Operator(id, role) : Nobody;
}
