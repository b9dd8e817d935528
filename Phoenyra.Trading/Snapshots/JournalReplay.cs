using Microsoft.Extensions.Logging;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Trading.Snapshots;

/// <summary>
/// Applies journal records, block by block, to engines whose loops are not running (the live ones
/// at start-up, or the snapshotter's replica) or, on a standby, through their loops; keeping the journal position and the highest ids —
/// what a snapshot records beside the engines' states.
/// </summary>
internal sealed class JournalReplay(IReadOnlyDictionary<string, MatchingEngine> engines, ILogger logger)
{
    private readonly HashSet<string> _unknown = [];

    /// <summary>The last block applied (0: none; the first format's rows come before block 1).</summary>
    public long BlockSeq { get; private set; }
    public long MaxOrderId { get; private set; }
    public long MaxTradeId { get; private set; }

    /// <summary>Records covered, from the start of the journal (a snapshot's count included).</summary>
    public long Records { get; private set; }

    public void Restore(DeskState snapshot)
    {
        foreach (var state in snapshot.Engines)
            if (engines.TryGetValue(state.Market, out var engine)) engine.RestoreState(state);
            else Unknown(state.Market);
        (BlockSeq, MaxOrderId, MaxTradeId, Records) = (snapshot.BlockSeq, snapshot.MaxOrderId, snapshot.MaxTradeId, snapshot.Records);
    }

    public void Apply(JournalRecord record)
    {
        Count(record);
        if (engines.TryGetValue(record.Market, out var engine)) engine.Replay(record);
        else Unknown(record.Market);
    }

    public void ApplyBlock(long seq, byte[] data)
    {
        foreach (var record in JournalCodec.Read(data)) Apply(record);
        BlockSeq = seq;
    }

    /// <summary>
    /// On a standby: posts blocks to the engines' running loops (<see cref="MatchingEngine.Follow"/>), one hand-over per
    /// market, without waiting for them: <see cref="BlockSeq"/> is where reading goes on. Returns the records posted and
    /// a task that completes once every market has applied its share.
    /// </summary>
    public (Task Applied, long Records) FollowBlocks(IReadOnlyList<(long Seq, byte[] Data)> blocks, EngineEvents events)
    {
        var before = Records;
        var byMarket = new Dictionary<MatchingEngine, List<JournalRecord>>();
        foreach (var (_, data) in blocks)
            foreach (var record in JournalCodec.Read(data))
            {
                Count(record);
                if (!engines.TryGetValue(record.Market, out var engine)) Unknown(record.Market);
                else if (byMarket.TryGetValue(engine, out var records)) records.Add(record);
                else byMarket[engine] = [record];
            }
        if (blocks.Count > 0) BlockSeq = blocks[^1].Seq;
        return (Task.WhenAll(byMarket.Select(m => m.Key.Follow(m.Value, events))), Records - before);
    }

    private void Count(JournalRecord record)
    {
        Records++;
        if (record is OrderAcceptedRecord a) MaxOrderId = Math.Max(MaxOrderId, a.Id);
        if (record is FillRecord f) MaxTradeId = Math.Max(MaxTradeId, f.TradeId);
    }

    public DeskState Capture(DateTimeOffset now) =>
        new(BlockSeq, MaxOrderId, MaxTradeId, Records, now, engines.Values.Select(e => e.CaptureState()).ToList());

    private void Unknown(string market)
    {
        if (_unknown.Add(market))
            logger.LogWarning("Journal records for unknown market {Market} skipped (was it removed from the configuration?)", market);
    }
}
