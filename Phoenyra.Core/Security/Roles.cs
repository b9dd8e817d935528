namespace Phoenyra.Core.Security;

/// <summary>Who may do what. Each role includes the ones before it: viewer ⊂ trader ⊂ admin.</summary>
public enum Role
{
    Viewer = 0,
    Trader = 1,
    Admin = 2,
}

/// <summary>Authorization policy names, one per minimum role.</summary>
public static class Policies
{
    public const string Viewer = "role:viewer";
    public const string Trader = "role:trader";
    public const string Admin = "role:admin";

    public const string RoleClaim = "phoenyra:role";
    public const string KeyIdClaim = "phoenyra:key_id";

    public static string For(Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Trader => Trader,
        _ => Viewer,
    };
}
