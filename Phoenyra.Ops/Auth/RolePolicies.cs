using Microsoft.AspNetCore.Authorization;
using Phoenyra.Core.Security;

namespace Phoenyra.Ops.Auth;

internal static class RolePolicies
{
    public static void Add(AuthorizationOptions options)
    {
        foreach (var role in Enum.GetValues<Role>())
            options.AddPolicy(Policies.For(role), policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => HasAtLeast(context.User, role)));
    }

    public static bool HasAtLeast(System.Security.Claims.ClaimsPrincipal user, Role minimum) =>
        Enum.TryParse<Role>(user.FindFirst(Policies.RoleClaim)?.Value, true, out var role) && role >= minimum;
}
