namespace Phoenyra.Strategies.FlashArb.Cycle;

/// <summary>How a cycle ended; stable codes for <c>cycles_total{outcome}</c>.</summary>
public enum CycleOutcome
{
    /// <summary>A guard stopped it before any market data was read (see <see cref="CycleResult.BlockedBy"/>).</summary>
    Blocked,
    /// <summary>No quote on a leg, or the net spread below SPREAD_MIN: nothing traded.</summary>
    Skipped,
    /// <summary>The power leg did not fill.</summary>
    NoFill,
    /// <summary>Both legs filled and the loan settled them.</summary>
    Completed,
    /// <summary>The futures leg failed or filled short; the power leg's unmatched part was sold back.</summary>
    UnwoundFuturesLeg,
    /// <summary>The loan reverted; both legs were unwound.</summary>
    UnwoundSettlement,
    /// <summary>The desk stopped mid-cycle; on restart whatever the cycle had traded was unwound.</summary>
    UnwoundOnRestart,
    /// <summary>The desk stopped mid-cycle on a live venue: its orders (client ids FA-{id}-…) must be reconciled with the venue by an operator.</summary>
    Unresolved,
    /// <summary>An unwind was refused or filled short: the cycle left a naked leg (<see cref="CycleResult.Open"/>) and halted its strategy.</summary>
    UnwindFailed,
    /// <summary>A flatten (the kill switch's or an operator's) traded back the legs failed unwinds had left open.</summary>
    Flattened,
}

/// <summary>A position a cycle could not close: venue, long or short, MW.</summary>
public sealed record OpenLeg(string Venue, string Position, decimal Quantity)
{
    /// <summary>"5 MW long on GB-SPOT-30", as the page, the log and the cycle's problem say it.</summary>
    public override string ToString() => $"{Quantity} MW {Position} on {Venue}";

    /// <summary>Legs on the same venue and side added up: what the strategy holds open in all.</summary>
    public static List<OpenLeg> Sum(IEnumerable<OpenLeg> legs) =>
        legs.GroupBy(l => (l.Venue, l.Position)).Select(g => new OpenLeg(g.Key.Venue, g.Key.Position, g.Sum(l => l.Quantity))).ToList();
}

/// <summary>One leg's trade in a cycle: which venue, side, MW, average price.</summary>
public sealed record CycleLeg(string Venue, string Side, decimal Quantity, decimal? AveragePrice);

/// <summary>
/// One cycle, everything an operator asks afterwards: both quotes, the net spread, the legs (and
/// unwinds), the loan transaction and fee, the outcome and the profit in GBP; and what it left open
/// when an unwind failed (for <see cref="CycleOutcome.Flattened"/>: what is still open after the flatten).
/// </summary>
public sealed record CycleResult(
    long Id,
    DateTimeOffset Time,
    CycleOutcome Outcome,
    string? BlockedBy,
    decimal? SpotAsk,
    decimal? FuturesBid,
    decimal? NetSpreadPerMwh,
    IReadOnlyList<CycleLeg> Legs,
    string? LoanTransaction,
    decimal LoanFeeGbp,
    decimal ProfitGbp,
    string? Problem,
    IReadOnlyList<OpenLeg>? Open = null);
