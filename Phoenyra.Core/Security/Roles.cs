namespace Phoenyra.Core.Security;

/// <summary>
/// Who may do what. The ranked roles include the ones before them: viewer ⊂ trader ⊂ admin.
/// A device (a battery's telemetry gateway) may post telemetry and nothing else; Alertmanager's
/// key may post alerts to the webhook and nothing else.
/// </summary>
public enum Role
{
    Alertmanager = -2,
    Device = -1,
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

    /// <summary>Posting telemetry: a device key, or a trader or admin.</summary>
    public const string Telemetry = "telemetry";

    /// <summary>Posting to the Alertmanager webhook: Alertmanager's own key, or an admin.</summary>
    public const string Alerts = "alerts";

    /// <summary>Dashboard sessions (cookie from a login with a key), by minimum role; REST never accepts a session.</summary>
    public const string SessionViewer = "session:viewer";
    public const string SessionTrader = "session:trader";
    public const string SessionAdmin = "session:admin";

    /// <summary>Rate-limit policy of control planes (start/stop/diagnostics of an orchestrator): 10 calls a minute per key.</summary>
    public const string ControlPlaneRate = "control-plane";

    public const string RoleClaim = "phoenyra:role";
    public const string KeyIdClaim = "phoenyra:key_id";

    public static string For(Role role) => role switch
    {
        Role.Admin => Admin,
        Role.Trader => Trader,
        _ => Viewer,
    };
}
