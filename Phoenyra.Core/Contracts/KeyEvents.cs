using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>An API key stopped being valid (revoked from the API, the CLI or the store): its streams close, its sessions end.</summary>
public sealed record ApiKeyRevoked(string KeyId, DateTimeOffset Time) : IEvent;
