using System.Security.Claims;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Tests;

/// <summary>One reading of the caller: key id and role by enum, a device below every ranked role.</summary>
public sealed class CallerIdentityTests
{
    private static ClaimsPrincipal Caller(string id, Role role) => new(new ClaimsIdentity(CallerIdentity.Claims(id, role), "test"));

    [Theory]
    [InlineData(Role.Device, Role.Viewer, false)]
    [InlineData(Role.Viewer, Role.Viewer, true)]
    [InlineData(Role.Viewer, Role.Trader, false)]
    [InlineData(Role.Trader, Role.Trader, true)]
    [InlineData(Role.Admin, Role.Trader, true)]
    public void HasAtLeast_RanksViewerTraderAdmin_AndADeviceBelowThem(Role role, Role minimum, bool expected) =>
        Assert.Equal(expected, Caller("k", role).HasAtLeast(minimum));

    [Fact]
    public void AKeylessCaller_IsAnonymous_WithNoRole()
    {
        var nobody = new ClaimsPrincipal(new ClaimsIdentity());

        Assert.Equal((CallerIdentity.Anonymous, (string?)null, (Role?)null), (nobody.KeyId(), nobody.KnownKeyId(), nobody.Role()));
        Assert.False(nobody.HasAtLeast(Role.Viewer));
    }

    [Fact]
    public void ARoleClaim_IsReadByItsCode_NotItsNumber()
    {
        var forged = new ClaimsPrincipal(new ClaimsIdentity([new Claim(Policies.KeyIdClaim, "k"), new Claim(Policies.RoleClaim, "2")], "test"));

        Assert.Null(forged.Role());
        Assert.True(Caller("ops", Role.Admin).IsAdmin());
    }
}
