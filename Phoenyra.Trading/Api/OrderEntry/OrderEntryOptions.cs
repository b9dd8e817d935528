using Phoenyra.Core.Settings;

namespace Phoenyra.Trading.Api.OrderEntry;

/// <summary>The order-entry WebSocket, <c>Phoenyra:Trading:OrderEntry</c>: what one client may hold open and send.</summary>
public sealed class OrderEntryOptions
{
    /// <summary>Connections one key may hold open.</summary>
    public int MaxConnectionsPerKey { get; set; } = 4;

    /// <summary>Connections the desk holds open in all.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>Orders of one connection in flight (sent, not yet answered); the desk stops reading until answers go out.</summary>
    public int MaxPendingOrders { get; set; } = 4096;

    /// <summary>Notices of one connection waiting to go out (fills of resting orders, answers to malformed messages); past it the client is disconnected as not reading.</summary>
    public int MaxQueuedNotices { get; set; } = 10_000;

    /// <summary>Longest a frame of answers may take to go out; a client that does not read for that long is disconnected.</summary>
    public double SendTimeoutSeconds { get; set; } = 10;

    /// <summary>Largest message (one JSON order or an array of them); a larger one closes the connection with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>Orders in one message at most.</summary>
    public int MaxOrdersPerMessage { get; set; } = 1000;

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (MaxConnectionsPerKey is < 1 or > 1000) yield return new SettingsError($"{prefix}:MaxConnectionsPerKey", $"is {MaxConnectionsPerKey}; use 1..1000");
        if (MaxConnections is < 1 or > 100_000) yield return new SettingsError($"{prefix}:MaxConnections", $"is {MaxConnections}; use 1..100000");
        if (MaxPendingOrders is < 1 or > 1_000_000) yield return new SettingsError($"{prefix}:MaxPendingOrders", $"is {MaxPendingOrders}; use 1..1000000");
        if (MaxQueuedNotices is < 1 or > 1_000_000) yield return new SettingsError($"{prefix}:MaxQueuedNotices", $"is {MaxQueuedNotices}; use 1..1000000");
        if (!double.IsFinite(SendTimeoutSeconds) || SendTimeoutSeconds is < 0.1 or > 3600) yield return new SettingsError($"{prefix}:SendTimeoutSeconds", $"is {SendTimeoutSeconds}; use 0.1..3600");
        if (MaxMessageBytes is < 1024 or > 16 * 1024 * 1024) yield return new SettingsError($"{prefix}:MaxMessageBytes", $"is {MaxMessageBytes}; use 1024..16777216");
        if (MaxOrdersPerMessage is < 1 or > 100_000) yield return new SettingsError($"{prefix}:MaxOrdersPerMessage", $"is {MaxOrdersPerMessage}; use 1..100000");
    }
}
