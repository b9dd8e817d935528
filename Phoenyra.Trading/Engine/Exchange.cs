using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// All markets' engines. At start-up it replays the journal into them, then starts their loops
/// and the journal writer; it stops them in reverse on shutdown.
/// </summary>
internal sealed class Exchange : IHostedService
{
    private readonly Dictionary<string, MatchingEngine> _engines;
    private readonly TradeJournal _journal;
    private readonly IdSource _ids;
    private readonly ILogger<Exchange> _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public Exchange(IOptions<TradingOptions> options, TradeJournal journal, RiskEngine risk, Positions.Portfolio portfolio, IdSource ids, TradingMetrics metrics, TimeProvider time, ILogger<Exchange> logger)
    {
        var settings = options.Value;
        var context = new TradingEngineContext(journal, risk, portfolio, ids, time, settings.MarketMaker, settings.EmaAlpha, TimeSpan.FromSeconds(settings.MarkTradeMaxAgeSeconds), settings.RecentLimit, metrics, logger);
        _engines = settings.Specs().ToDictionary(s => s.Id, s => new MatchingEngine(s, context), StringComparer.Ordinal);
        _journal = journal;
        _ids = ids;
        _logger = logger;
        foreach (var market in settings.Markets.Where(m => m.ReferencePrice is not null))
            _engines[market.Id].SetReference(market.ReferencePrice!.Value);
    }

    public IReadOnlyCollection<MatchingEngine> Engines => _engines.Values;

    public bool TryGet(string market, out MatchingEngine engine) => _engines.TryGetValue(market, out engine!);

    /// <summary>Events replayed at the last start and how long it took.</summary>
    public (long Records, TimeSpan Elapsed) LastReplay { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        long records = 0, maxOrder = 0, maxTrade = 0;
        foreach (var record in _journal.ReadAll())
        {
            records++;
            if (record is OrderAcceptedRecord a) maxOrder = Math.Max(maxOrder, a.Id);
            if (record is FillRecord f) maxTrade = Math.Max(maxTrade, f.TradeId);
            if (_engines.TryGetValue(record.Market, out var engine)) engine.Replay(record);
            else _logger.LogWarning("Journal record for unknown market {Market} skipped (was it removed from the configuration?)", record.Market);
        }
        _ids.AtLeast(maxOrder, maxTrade);
        foreach (var engine in _engines.Values) engine.FinishReplay();
        LastReplay = (records, Stopwatch.GetElapsedTime(started));
        _logger.LogInformation("Journal replayed: {Records} records in {Elapsed} ms; {Open} open orders",
            records, (long)LastReplay.Elapsed.TotalMilliseconds, _engines.Values.Sum(e => e.Snapshot.RestingOrders));

        _journal.Start();
        foreach (var engine in _engines.Values) _loops.Add(engine.Run(_stop.Token));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var engine in _engines.Values) engine.Stop();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        _stop.Cancel();
        await _journal.DisposeAsync().ConfigureAwait(false);
    }
}
