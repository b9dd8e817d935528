using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Risk;
using Phoenyra.Trading.Snapshots;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// All markets' engines. At start-up it replays the journal into them, then starts their loops and the
/// journal writer (a cluster's desk follows the leader's journal until it is elected); it stops them in reverse on shutdown.
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
    private readonly IStore _store;
    private readonly EngineEvents _events;
    private readonly ClusterMetrics _clusterMetrics;
    private readonly List<(string Market, decimal Price)> _references;
    private JournalFollower? _follower;

    public Exchange(IOptions<TradingOptions> options, TradeJournal journal, SnapshotStore snapshots, RiskEngine risk, Positions.Portfolio portfolio, IdSource ids,
        TradingMetrics metrics, ILeadership leadership, IStore store, EngineEvents events, ClusterMetrics clusterMetrics, TimeProvider time, ILogger<Exchange> logger)
    {
        (_store, _events, _clusterMetrics) = (store, events, clusterMetrics);
        _leadership = leadership;
        var settings = options.Value;
        _engines = Build(settings, new TradingEngineContext(journal, risk, portfolio, ids, time, settings.MarketMaker, settings.EmaAlpha,
            TimeSpan.FromSeconds(settings.MarkTradeMaxAgeSeconds), settings.RecentLimit, metrics, logger));
        _journal = journal;
        _snapshots = settings.Snapshots.Enabled ? snapshots : null;
        _ids = ids;
        _logger = logger;
        _references = settings.Markets.Where(m => m.ReferencePrice is not null).Select(m => (m.Id, m.ReferencePrice!.Value)).ToList();
        if (!leadership.IsLeader)
            foreach (var engine in _engines.Values) engine.StandBy(); // a standby's books hold the journal's orders only: no simulated quotes
        SetReferences();
    }

    /// <summary>The configured reference prices, where the simulated market maker quotes until a price feed moves them.</summary>
    private void SetReferences()
    {
        foreach (var (market, price) in _references) _engines[market].SetReference(price);
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

    /// <summary>
    /// Opens at once on a desk without a cluster. A cluster's desk replays the journal, then stands by with its
    /// loops running and follows the leader's journal (<see cref="JournalFollower"/>) until it is elected; then it
    /// applies the rest and opens.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_leadership.IsLeader)
        {
            var replay = Replay();
            StartLoops();
            _follower = new JournalFollower(replay, _journal, _store, _events, _clusterMetrics, _logger);
            _follower.Start();
        }
        return _leadership.OnElected(async _ =>
        {
            var replay = _follower is { } follower ? await TakeOver(follower).ConfigureAwait(false) : Replay();
            _ids.AtLeast(replay.MaxOrderId, replay.MaxTradeId);
            _journal.Start();
            if (_follower is null) StartLoops();
        });
    }

    /// <summary>Elected: stops following, applies what the last leader committed since, and takes commands.</summary>
    private async Task<Snapshots.JournalReplay> TakeOver(JournalFollower follower)
    {
        var started = Stopwatch.GetTimestamp();
        await follower.Stop().ConfigureAwait(false);
        if (follower.Broken)
            throw new InvalidDataException("This standby's engines stopped following the journal (see the log): it restarts instead of leading.");
        var before = follower.Replay.Records;
        follower.CatchUp();
        follower.WaitApplied();
        foreach (var engine in _engines.Values) engine.Lead();
        SetReferences();
        _logger.LogInformation("Journal tail applied at takeover: {Records} records in {Elapsed} ms; {Open} open orders",
            follower.Replay.Records - before, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, _engines.Values.Sum(e => e.Snapshot.RestingOrders));
        return follower.Replay;
    }

    /// <summary>The engines rebuilt from the latest snapshot and the journal after it, before their loops run.</summary>
    private Snapshots.JournalReplay Replay()
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
        foreach (var engine in _engines.Values) engine.FinishReplay();
        LastReplay = (replay.Records - (LastSnapshot?.Records ?? 0), Stopwatch.GetElapsedTime(started));
        _logger.LogInformation("Journal replayed: {Records} records in {Elapsed} ms{Snapshot}; {Open} open orders",
            LastReplay.Records, (long)LastReplay.Elapsed.TotalMilliseconds,
            LastSnapshot is { } s ? $" after the snapshot at block {s.BlockSeq} ({s.Records} records)" : "",
            _engines.Values.Sum(e => e.Snapshot.RestingOrders));
        return replay;
    }

    private void StartLoops()
    {
        foreach (var engine in _engines.Values) _loops.Add(engine.Run(_stop.Token));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_follower is not null) await _follower.Stop().ConfigureAwait(false);
        foreach (var engine in _engines.Values) engine.Stop();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        _stop.Cancel();
        await _journal.DisposeAsync().ConfigureAwait(false);
        await _events.DisposeAsync().ConfigureAwait(false);
    }
}
