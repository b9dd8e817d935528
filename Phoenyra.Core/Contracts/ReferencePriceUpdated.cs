using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>A price source (demo generator, CSV replay, venue feed) moved a market's reference price, in EUR/MWh.</summary>
public sealed record ReferencePriceUpdated(string Market, decimal Price, DateTimeOffset Time, string Source) : IEvent;
