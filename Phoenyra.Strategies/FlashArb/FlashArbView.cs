using Phoenyra.Strategies.FlashArb.Cycle;

namespace Phoenyra.Strategies.FlashArb;

/// <summary>One guard as the page shows it: open or blocking, and why.</summary>
public sealed record FlashArbGuard(string Name, bool Open, string Detail);

/// <summary>
/// The orchestrator as operators follow it: its guards now, the last spread, PnL (the document's
/// <c>positive</c>/<c>negative</c>/<c>net</c>), supervision (restarts, last error and success, next
/// retry), the effective parameters, the recent cycles, newest first, and any leg left open.
/// </summary>
public sealed record FlashArbView(
    IReadOnlyList<FlashArbGuard> Guards,
    decimal? LastSpread,
    decimal PnlPositive,
    decimal PnlNegative,
    decimal DailyNetPnl,
    int Restarts,
    string? LastError,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? RetryAt,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyList<CycleResult> Cycles,
    CycleResult? Latest = null,
    IReadOnlyList<OpenLeg>? Open = null)
{
    /// <summary>Legs failed unwinds left open (a naked position the strategy holds), empty when none.</summary>
    public IReadOnlyList<OpenLeg> OpenLegs => Open ?? [];

    /// <summary>What the last cycle did, in a sentence: "blocked: outside_window", "skipped: net spread …", "completed".</summary>
    public string? LatestOutcome => Latest is null ? null
        : Latest.BlockedBy is { } blocked && Latest.Outcome == CycleOutcome.Blocked ? $"blocked: {blocked}"
        : Latest.Problem is { } why ? $"{Phoenyra.Core.Contracts.Codes.Of(Latest.Outcome)}: {why}"
        : Phoenyra.Core.Contracts.Codes.Of(Latest.Outcome);

    public decimal PnlNet => PnlPositive - PnlNegative;

    public static readonly FlashArbView Empty = new([], null, 0, 0, 0, 0, null, null, null, new Dictionary<string, string>(), []);
}
