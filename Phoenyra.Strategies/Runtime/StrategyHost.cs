using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Strategies.Runtime;

/// <summary>
/// Builds the configured instances once the engines run (their markets' rules from the bus),
/// recovers each from the journal (stopped, never trading on its own after a restart), runs their
/// loops, and drives their clocks: bars every <see cref="StrategyOptions.BarSeconds"/>, kill-switch
/// checks every <see cref="KillSwitchOptions.CheckSeconds"/>.
/// </summary>
internal sealed class StrategyHost(
    IOptions<StrategiesOptions> options, StrategyRegistry registry, IBus bus, IAuditLog audit, StrategyJournal journal,
    StrategyMetrics metrics, StrategyFactory factory, ILeadership leadership, IOptions<ClusterOptions> cluster, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly ILogger _logger = loggers.CreateLogger<StrategyHost>();
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>The instances are built and recovered where the engines run: at once on a leader, on a standby once it is elected.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await leadership.OnElected(Build);
        await base.StartAsync(cancellationToken);
    }

    private async Task Build(CancellationToken cancellationToken)
    {
        foreach (var settings in options.Value.All)
        {
            var info = await bus.Send(new GetMarketInfo(settings.Market), cancellationToken);
            if (info is null)
            {
                registry.Problems[settings.Id] = $"market '{settings.Market}' is not configured on this desk";
                _logger.LogError("Strategy {Id} not started: market {Market} is not configured", settings.Id, settings.Market);
                continue;
            }
            var gateway = new BusGateway(bus, settings.Id);
            var logger = loggers.CreateLogger($"Phoenyra.Strategies.{settings.Id}");
            var (strategy, problem) = await factory.Create(settings, info, gateway, logger, cancellationToken);
            if (strategy is null)
            {
                registry.Problems[settings.Id] = problem!;
                _logger.LogError("Strategy {Id} not started: {Problem}", settings.Id, problem);
                continue;
            }
            var instance = new StrategyInstance(settings, strategy, gateway, bus, audit, journal, metrics, time, logger);
            registry.Add(instance);
            _loops.Add(instance.Run(_stop.Token));
            await instance.Post(async () => { await instance.Recover(); return true; });
            // A cluster's new leader takes up what the last one ran; a single desk's restart never trades on its own.
            if (cluster.Value is { Enabled: true, ResumeStrategies: true })
                await instance.Post(() => instance.Resume($"cluster:{leadership.NodeId}", registry.DeskHalt));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var due = new Dictionary<string, (DateTimeOffset Bar, DateTimeOffset Check, DateTimeOffset Sample)>();
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                foreach (var instance in registry.All)
                {
                    var next = due.GetValueOrDefault(instance.Id);
                    if (now >= next.Bar)
                    {
                        instance.OfferBar();
                        next.Bar = now.AddSeconds(instance.Options.BarSeconds);
                    }
                    if (now >= next.Check)
                    {
                        instance.OfferCheck();
                        next.Check = now.AddSeconds(instance.Options.KillSwitch.CheckSeconds);
                    }
                    if (now >= next.Sample)
                    {
                        var status = instance.Status;
                        instance.Pnl.Add(new PnlSample(now, status.Risk.TotalPnl, Math.Max(0, status.PeakPnl - status.Risk.TotalPnl)));
                        next.Sample = now.AddSeconds(1);
                    }
                    due[instance.Id] = next;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _stop.Cancel();
        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Routes the engines' events to the instances they concern; it only posts, so the engines never wait on a strategy.</summary>
internal sealed class StrategyRouter(StrategyRegistry registry, ILogger<StrategyRouter> logger)
    : IEventHandler<MarkUpdated>, IEventHandler<TradeExecuted>, IEventHandler<OrderUpdated>, IEventHandler<TradingGuardChanged>
{
    public ValueTask Handle(MarkUpdated @event, CancellationToken cancellationToken)
    {
        foreach (var instance in registry.All)
            if (instance.Market == @event.Market) instance.OnMark(@event);
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(TradeExecuted @event, CancellationToken cancellationToken)
    {
        var trade = @event.Trade;
        if (registry.Find(trade.MakerAccount) is { } maker && maker.Market == trade.Market) maker.OnTrade(trade);
        if (trade.TakerAccount != trade.MakerAccount && registry.Find(trade.TakerAccount) is { } taker && taker.Market == trade.Market) taker.OnTrade(trade);
        return ValueTask.CompletedTask;
    }

    public ValueTask Handle(OrderUpdated @event, CancellationToken cancellationToken)
    {
        if (registry.Find(@event.Order.Account) is { } instance) instance.OnOrderUpdated(@event.Order);
        return ValueTask.CompletedTask;
    }

    /// <summary>The desk kill switch stops every strategy (they stay stopped when the desk resumes).</summary>
    public ValueTask Handle(TradingGuardChanged @event, CancellationToken cancellationToken)
    {
        if (!DeskHaltGuard.Is(@event)) return ValueTask.CompletedTask;
        registry.DeskHalt = @event.Active ? @event.Reason : null;
        if (!@event.Active) return ValueTask.CompletedTask;
        foreach (var instance in registry.All)
            _ = instance.Post(() => instance.Stop("desk-kill-switch", @event.Reason)).ContinueWith(
                t => logger.LogError(t.Exception, "Strategy {Id} did not stop on the desk halt", instance.Id), TaskContinuationOptions.OnlyOnFaulted);
        return ValueTask.CompletedTask;
    }
}
