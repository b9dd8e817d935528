using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Risk;
using Phoenyra.Trading.Snapshots;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// All markets' engines. At start-up (on a cluster's standby: once elected) it replays the journal into
/// them, then starts their loops and the journal writer; it stops them in reverse on shutdown.
/// </summary>
internal sealed class Exchange : IHostedService
{
    private readonly Dictionary<string, MatchingEngine> _engines;
    private readonly TradeJournal _journal;
    private readonly SnapshotStore? _snapshots;
    private readonly IdSource _ids;
    private readonly ILogger<Exchange> _logger;
    private readonly ILeadership _leadership;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public Exchange(IOptions<TradingOptions> options, TradeJournal journal, SnapshotStore snapshots, RiskEngine risk, Positions.Portfolio portfolio, IdSource ids,
        TradingMetrics metrics, ILeadership leadership, TimeProvider time, ILogger<Exchange> logger)
    {
        _leadership = leadership;
        var settings = options.Value;
        _engines = Build(settings, new TradingEngineContext(journal, risk, portfolio, ids, time, settings.MarketMaker, settings.EmaAlpha,
            TimeSpan.FromSeconds(settings.MarkTradeMaxAgeSeconds), settings.RecentLimit, metrics, logger));
        _journal = journal;
        _snapshots = settings.Snapshots.Enabled ? snapshots : null;
        _ids = ids;
        _logger = logger;
        foreach (var market in settings.Markets.Where(m => m.ReferencePrice is not null))
            _engines[market.Id].SetReference(market.ReferencePrice!.Value);
    }

    public IReadOnlyCollection<MatchingEngine> Engines => _engines.Values;

    /// <summary>One engine per configured market, on <paramref name="context"/> (the live desk's, or a replica's with a portfolio of its own).</summary>
    public static Dictionary<string, MatchingEngine> Build(TradingOptions settings, TradingEngineContext context) =>
        settings.Specs().ToDictionary(s => s.Id, s => new MatchingEngine(s, context), StringComparer.Ordinal);

    public bool TryGet(string market, out MatchingEngine engine) => _engines.TryGetValue(market, out engine!);

    /// <summary>Events replayed at the last start and how long it took (after the snapshot, if one was used).</summary>
    public (long Records, TimeSpan Elapsed) LastReplay { get; private set; }

    /// <summary>The snapshot the last start began from: the journal block and records it covers; null without one.</summary>
    public (long BlockSeq, long Records)? LastSnapshot { get; private set; }

    /// <summary>Opens at once on a leader; a standby's engines stand by until it is elected, then replay the journal as it is then.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_leadership.IsLeader)
            foreach (var engine in _engines.Values) engine.StandBy();
        return _leadership.OnElected(_ =>
        {
            Open();
            return Task.CompletedTask;
        });
    }

    private void Open()
    {
        var started = Stopwatch.GetTimestamp();
        var replay = new Snapshots.JournalReplay(_engines, _logger);
        if (_snapshots?.Latest() is { } snapshot)
        {
            replay.Restore(snapshot);
            LastSnapshot = (snapshot.BlockSeq, snapshot.Records);
        }
        else foreach (var record in _journal.FirstFormat()) replay.Apply(record);
        foreach (var (seq, data) in _journal.BlocksAfter(replay.BlockSeq)) replay.ApplyBlock(seq, data);
        _ids.AtLeast(replay.MaxOrderId, replay.MaxTradeId);
        foreach (var engine in _engines.Values) engine.FinishReplay();
        LastReplay = (replay.Records - (LastSnapshot?.Records ?? 0), Stopwatch.GetElapsedTime(started));
        _logger.LogInformation("Journal replayed: {Records} records in {Elapsed} ms{Snapshot}; {Open} open orders",
            LastReplay.Records, (long)LastReplay.Elapsed.TotalMilliseconds,
            LastSnapshot is { } s ? $" after the snapshot at block {s.BlockSeq} ({s.Records} records)" : "",
            _engines.Values.Sum(e => e.Snapshot.RestingOrders));

        _journal.Start();
        foreach (var engine in _engines.Values) _loops.Add(engine.Run(_stop.Token));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var engine in _engines.Values) engine.Stop();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        _stop.Cancel();
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
