using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>An API key stopped being valid (revoked from the API, the CLI or the store): its streams close, its sessions end.</summary>
public sealed record ApiKeyRevoked(string KeyId, DateTimeOffset Time) : IEvent;

/// <summary>
/// Cancel every resting order of a revoked key's account (<c>keys revoke --cancel-orders</c>, the
/// API's <c>?cancel_orders=true</c>, the Ops page). Announced again at each start, so a revoke made
/// while the desk was down still cancels what the journal restores (a revoked key places nothing new).
/// </summary>
public sealed record KeyOrdersCancelRequested(string KeyId, string Actor, DateTimeOffset Time) : IEvent;
