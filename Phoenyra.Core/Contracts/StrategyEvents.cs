using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>A strategy's kill switch fired: which trigger, why, and what it did (flattened, halted).</summary>
public sealed record StrategyAlert(string StrategyId, string Market, string Trigger, string Reason, bool Flat, DateTimeOffset Time) : IEvent;
