namespace Phoenyra.Core.Cluster;

/// <summary>This desk does not lead (any more): the request must go to the leader; HTTP answers 503 <c>not_leader</c>.</summary>
public sealed class NotLeaderException(string message) : Exception(message);
