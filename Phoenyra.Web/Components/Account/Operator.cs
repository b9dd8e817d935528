using System.Security.Claims;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Security;

namespace Phoenyra.Web.Components.Account;

/// <summary>
/// The signed-in operator as the dashboard sees them: the key id (orders' account, audit actor) and its role; on a
/// cluster's standby (<paramref name="Standby"/>) they see everything their role shows, and can neither trade nor control.
/// </summary>
public sealed record Operator(string KeyId, Role Role, bool Standby = false)
{
    public static readonly Operator Nobody = new(CallerIdentity.Anonymous, Role.Device);

    public bool CanTrade => Role >= Role.Trader && !Standby;

    public bool IsAdmin => Role == Role.Admin;

    /// <summary>Desk-wide control actions (halt, trading state, policy): an admin's, on the leader.</summary>
    public bool CanControl => IsAdmin && !Standby;

    public static Operator From(ClaimsPrincipal user, ILeadership leadership) =>
        user.KnownKeyId() is { } id && user.Role() is { } role ? new Operator(id, role, !leadership.IsLeader) : Nobody;
}
