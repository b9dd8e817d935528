using Phoenyra.Core.Messaging;

namespace Phoenyra.Core.Contracts;

/// <summary>
/// A market's expected prices, one per <paramref name="Step"/> from <paramref name="Start"/>: a
/// day-ahead result, a configured curve, or the demo price source's own day shape. Planners use it
/// for the periods whose prices have not happened yet.
/// </summary>
public sealed record DayAheadCurvePublished(string Market, DateTimeOffset Start, TimeSpan Step, IReadOnlyList<decimal> Prices, string Source) : IEvent;
