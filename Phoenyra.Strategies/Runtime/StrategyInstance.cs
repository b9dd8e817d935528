using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Strategies.Runtime;

/// <summary>
/// One running strategy: its single loop (a mailbox every callback and operator command goes
/// through, so the API and the strategy never race), its lifecycle, its kill switch, and the status
/// snapshot readers see. Events from the engines only post to the mailbox; they never wait on it.
/// </summary>
internal sealed class StrategyInstance
{
    private readonly StrategyOptions _options;
    private readonly IStrategy _strategy;
    private readonly IOrderGateway _orders;
    private readonly KillSwitch _killSwitch;
    private readonly IBus _bus;
    private readonly IAuditLog _audit;
    private readonly StrategyJournal _journal;
    private readonly StrategyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Func<Task>> _mailbox = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private volatile MarkUpdated? _mark;
    private volatile StrategyStatus _status;
    private DateTimeOffset? _lastBarMark, _runningSince, _lastBar;
    private string? _fault, _startedBy;
    private KillSwitchTrip? _lastTrip;
    private StrategyState _state = StrategyState.Stopped;
    private int _barPending, _checkPending;

    public StrategyInstance(StrategyOptions options, IStrategy strategy, IOrderGateway orders, IBus bus, IAuditLog audit, StrategyJournal journal,
        StrategyMetrics metrics, TimeProvider time, ILogger logger)
    {
        _options = options;
        _strategy = strategy;
        _orders = orders;
        _killSwitch = new KillSwitch(options.KillSwitch);
        _bus = bus;
        _audit = audit;
        _journal = journal;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _status = Snapshot();
    }

    public string Id => _options.Id;
    public string Kind => _options.Kind;
    public string Market => _options.Market;
    public string Account => _options.Id;
    public StrategyOptions Options => _options;

    /// <summary>The strategy itself, for reads that are safe off its loop (its fixed parts, never its state).</summary>
    internal IStrategy Strategy => _strategy;
    public StrategyStatus Status => _status;

    /// <summary>PnL a sample a second (the host's clock adds them), oldest first.</summary>
    public PnlHistory Pnl { get; } = new();

    /// <summary>The loop; ends when <paramref name="stop"/> fires.</summary>
    public async Task Run(CancellationToken stop)
    {
        try
        {
            await foreach (var item in _mailbox.Reader.ReadAllAsync(stop))
            {
                await item();
                _status = Snapshot();
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Runs <paramref name="work"/> on the loop and answers with its result.</summary>
    public Task<T> Post<T>(Func<Task<T>> work)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = _mailbox.Writer.TryWrite(async () =>
        {
            try { answer.SetResult(await work()); }
            catch (Exception ex) { answer.SetException(ex); }
        });
        if (!posted) answer.SetException(new InvalidOperationException($"Strategy {Id} is shut down."));
        return answer.Task;
    }

    // ---- events from the engines (any thread; they only post) ----

    public void OnMark(MarkUpdated mark) => _mark = mark;

    public void OnTrade(Trade trade)
    {
        if (trade.TakerAccount == Account) Enqueue(new StrategyFill(trade.TakerOrderId, null, trade.AggressorSide, trade.Price, trade.Quantity, false, trade.Time));
        if (trade.MakerAccount == Account)
            Enqueue(new StrategyFill(trade.MakerOrderId, null, trade.AggressorSide == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy, trade.Price, trade.Quantity, true, trade.Time));

        void Enqueue(StrategyFill fill) => _mailbox.Writer.TryWrite(async () =>
        {
            if (!_strategy.Owns(fill.OrderId)) return;
            await Guarded("OnOrderFilled", () => _strategy.OnOrderFilled(fill, CancellationToken.None));
            if (_state == StrategyState.Running) await CheckKillSwitch();
        });
    }

    public void OnOrderUpdated(OrderView order)
    {
        if (order.Account != Account || order.Status.IsOpen()) return;
        _mailbox.Writer.TryWrite(() =>
        {
            _strategy.OnOrderClosed(order);
            return Task.CompletedTask;
        });
    }

    /// <summary>Called by the host's clock: a bar when running and the market moved since the last one.</summary>
    public void OfferBar()
    {
        if (_state != StrategyState.Running || _mark is not { } mark || mark.Time == _lastBarMark) return;
        if (Interlocked.Exchange(ref _barPending, 1) == 1) return;
        _mailbox.Writer.TryWrite(async () =>
        {
            Volatile.Write(ref _barPending, 0);
            if (_state != StrategyState.Running || _mark is not { } m || Mid(m) is not { } mid) return;
            _lastBarMark = m.Time;
            _lastBar = _time.GetUtcNow();
            await Guarded("OnBar", () => _strategy.OnBar(new Bar(_lastBar.Value, mid, m.BestBid, m.BestAsk, m.Mark), CancellationToken.None));
            _metrics.Bars.Add(1, new KeyValuePair<string, object?>("strategy", Id));
            if (_state == StrategyState.Running && _strategy.HaltRequest is not null) await CheckKillSwitch();
        });
    }

    /// <summary>Called by the host's clock: the kill switch looks at a running strategy.</summary>
    public void OfferCheck()
    {
        if (_state != StrategyState.Running || Interlocked.Exchange(ref _checkPending, 1) == 1) return;
        _mailbox.Writer.TryWrite(async () =>
        {
            Volatile.Write(ref _checkPending, 0);
            if (_state == StrategyState.Running) await CheckKillSwitch();
        });
    }

    // ---- lifecycle (run on the loop) ----

    /// <summary>After a restart: inventories and PnL from the journal, leftovers cancelled, a halt still in force. The strategy comes back stopped.</summary>
    public async Task Recover()
    {
        try
        {
            await RecoverFromJournal();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The desk still starts; this strategy shows why it cannot be trusted until looked at.
            _fault = $"recovery: {ex.Message}";
            _state = StrategyState.Faulted;
            _logger.LogError(ex, "Strategy {Id} could not recover its state from the journal", Id);
        }
    }

    private async Task RecoverFromJournal()
    {
        var activity = await _bus.Send(new GetAccountActivity(Account, Market));
        var events = _journal.Read(Id);
        await _strategy.Recover(activity, events, CancellationToken.None);
        foreach (var order in activity.OpenOrders)
            await _orders.Cancel(order.Id, CancellationToken.None);
        if (activity.OpenOrders.Count > 0)
            _logger.LogWarning("Strategy {Id} restarts stopped: its {Count} open orders from before the restart were cancelled", Id, activity.OpenOrders.Count);
        _startedBy = events.LastOrDefault(e => e.Kind == StrategyEventKind.Started)?.Text;
        WasRunning = events.LastOrDefault(e => e.Kind is StrategyEventKind.Started or StrategyEventKind.Stopped or StrategyEventKind.Halted)?.Kind == StrategyEventKind.Started;
        if (events.LastOrDefault(e => e.Kind == StrategyEventKind.DayStart) is { } day && DateOnly.FromDateTime(day.Time.UtcDateTime) == DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime))
            _killSwitch.RestoreDay(DateOnly.FromDateTime(day.Time.UtcDateTime), day.Price);
        if (events.LastOrDefault(e => e.Kind is StrategyEventKind.Halted or StrategyEventKind.Reset) is { Kind: StrategyEventKind.Halted } halt)
        {
            _state = StrategyState.Halted;
            _lastTrip = new KillSwitchTrip(halt.Text?.Split(':', 2)[0] ?? "unknown", halt.Text?.Split(':', 2).ElementAtOrDefault(1)?.Trim() ?? "", halt.Time,
                Flat: _strategy.Risk is { LongInventory: 0, ShortInventory: 0 });
        }
        if (activity.Fills.Count > 0) _logger.LogInformation("Strategy {Id} recovered {Fills} fills from the journal", Id, activity.Fills.Count);
    }

    /// <summary>Whether the journal says it was running when its desk ended (started, and neither stopped nor halted since).</summary>
    public bool WasRunning { get; private set; }

    /// <summary>
    /// On a cluster's new leader: a strategy that was running on the last one starts again (recovered from
    /// the journal first; a desk halt still refuses it). One that was stopped or halted stays so.
    /// </summary>
    public async Task<StrategyCommandResult?> Resume(string actor, string? deskHalt)
    {
        if (!WasRunning || _state != StrategyState.Stopped) return null;
        var result = await Start(actor, deskHalt);
        _logger.LogWarning("Strategy {Id} was running on the last leader: {Outcome}", Id, result.Problem is null ? "resumed" : "not resumed, " + result.Problem);
        return result;
    }

    public async Task<StrategyCommandResult> Start(string actor, string? deskHalt = null)
    {
        if (deskHalt is not null) return Refused($"the desk is halted ({deskHalt}); an admin must resume it before {Id} can start");
        if (_state == StrategyState.Halted)
            return Refused($"{Id} is halted by its kill switch ({_lastTrip?.Trigger}: {_lastTrip?.Reason}); an operator must reset it (POST /api/strategies/{Id}/reset with a reason) before it can start");
        if (_state == StrategyState.Running) return StrategyCommandResult.Done(Snapshot());
        var now = _time.GetUtcNow();
        _fault = null;
        _runningSince = now;
        _lastBar = null;
        _lastBarMark = null;
        BeginSession(now);
        _startedBy = actor;
        _journal.Append(Id, new StrategyEvent(StrategyEventKind.Started, now, 0, 0, actor));
        _state = StrategyState.Running;
        await Guarded("OnStart", () => _strategy.OnStart(CancellationToken.None));
        await _audit.Record(actor, "strategy.start", null, new { strategy = Id }, "ok");
        _logger.LogWarning("Strategy {Id} started by {Actor}", Id, actor);
        return StrategyCommandResult.Done(Snapshot());
    }

    public async Task<StrategyCommandResult> Stop(string actor, string why = "")
    {
        if (_state != StrategyState.Running) return StrategyCommandResult.Done(Snapshot());
        await StopTrading();
        await _audit.Record(actor, "strategy.stop", null, new { strategy = Id, reason = why }, "ok");
        _logger.LogWarning("Strategy {Id} stopped by {Actor} {Why}", Id, actor, why);
        return StrategyCommandResult.Done(Snapshot());
    }

    public async Task<(StrategyCommandResult Result, FlattenResult? Flatten)> Flatten(FlattenSide side, string actor)
    {
        if (_state == StrategyState.Running)
        {
            _state = StrategyState.Stopping;
            JournalStop($"flattened by {actor}");
        }
        FlattenResult? result = null;
        await Guarded("Flatten", async () => result = await _strategy.Flatten(side, CancellationToken.None));
        if (_state is StrategyState.Stopping) _state = StrategyState.Stopped;
        _runningSince = null;
        await _audit.Record(actor, "strategy.flatten", null, new { strategy = Id, side = Codes.Of(side), cancelled_orders = result?.CancelledOrders, flat = result?.Flat }, result?.Flat == true ? "ok" : "incomplete");
        _logger.LogWarning("Strategy {Id} flattened ({Side}) by {Actor}: {Cancelled} orders cancelled, flat {Flat}", Id, side, actor, result?.CancelledOrders, result?.Flat);
        return (result is null ? Refused($"the flatten failed: {_fault}") : StrategyCommandResult.Done(Snapshot()), result);
    }

    /// <summary>
    /// Signs off a kill-switch halt. Four eyes: the key that started the strategy may not reset it
    /// alone; another trader's key or an admin's may.
    /// </summary>
    public async Task<StrategyCommandResult> Reset(string actor, string reason, bool admin)
    {
        if (_state != StrategyState.Halted) return Refused($"{Id} is {Codes.Of(_state)}, not halted; there is nothing to reset");
        if (!admin && actor == _startedBy)
        {
            await _audit.Record(actor, "strategy.reset", new { state = "halted", trip = _lastTrip }, new { reason }, "denied: four eyes");
            return Refused($"four eyes: {actor} started {Id}, so another trader's key or an admin's must sign off its halt");
        }
        _journal.Append(Id, new StrategyEvent(StrategyEventKind.Reset, _time.GetUtcNow(), 0, 0, reason));
        _state = StrategyState.Stopped;
        await _audit.Record(actor, "strategy.reset", new { state = "halted", trip = _lastTrip }, new { state = "stopped", reason }, "ok");
        _logger.LogWarning("Strategy {Id} reset by {Actor}: {Reason}", Id, actor, reason);
        return StrategyCommandResult.Done(Snapshot());
    }

    /// <summary>Runs a strategy-specific command (throttle, …) on the loop, audited by the caller.</summary>
    public Task<T> Execute<T>(Func<IStrategy, Task<T>> work) => Post(() => work(_strategy));

    private async Task StopTrading()
    {
        _state = StrategyState.Stopping;
        JournalStop("stopped");
        await Guarded("OnStop", async () => await _strategy.OnStop(CancellationToken.None));
        if (_state == StrategyState.Stopping) _state = StrategyState.Stopped;
        _runningSince = null;
    }

    /// <summary>A new session's baselines; a new UTC day's baseline is journalled, so a restart keeps counting today's loss from 00:00.</summary>
    private void BeginSession(DateTimeOffset now)
    {
        var day = _killSwitch.Today.Day;
        _killSwitch.Begin(_strategy.Risk.TotalPnl, now);
        JournalNewDay(day);
    }

    private void JournalNewDay(DateOnly? before)
    {
        if (_killSwitch.Today is { Day: { } day } today && day != before)
            _journal.Append(Id, new StrategyEvent(StrategyEventKind.DayStart, _time.GetUtcNow(), 0, today.Start, null));
    }

    private async Task CheckKillSwitch()
    {
        var now = _time.GetUtcNow();
        var day = _killSwitch.Today.Day;
        var check = _killSwitch.Check(_strategy.Risk, _lastBar, _runningSince ?? now, now);
        JournalNewDay(day);
        if ((_strategy.HaltRequest ?? check) is not { } trigger) return;
        _state = StrategyState.Stopping;
        _logger.LogCritical("Strategy {Id} kill switch: {Trigger} ({Reason}); flattening", Id, trigger.Trigger, trigger.Reason);
        FlattenResult? flat = null;
        await Guarded("Flatten", async () => flat = await _strategy.Flatten(FlattenSide.Both, CancellationToken.None));
        _lastTrip = new KillSwitchTrip(trigger.Trigger, trigger.Reason, now, flat?.Flat == true);
        _journal.Append(Id, new StrategyEvent(StrategyEventKind.Halted, now, 0, 0, $"{trigger.Trigger}: {trigger.Reason}"));
        _state = StrategyState.Halted;
        _runningSince = null;
        _metrics.KillSwitchTrips.Add(1, new("strategy", Id), new("trigger", trigger.Trigger));
        await _audit.Record("kill-switch", "strategy.halt", null, new { strategy = Id, trigger = trigger.Trigger, reason = trigger.Reason, flat = _lastTrip.Flat }, "ok");
        await _bus.Publish(new StrategyAlert(Id, Market, trigger.Trigger, trigger.Reason, _lastTrip.Flat, now));
    }

    /// <summary>A callback that throws faults the strategy: logged, counted, its orders cancelled; the desk carries on.</summary>
    private async Task Guarded(string callback, Func<ValueTask> call)
    {
        try
        {
            await call();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (_state is StrategyState.Running or StrategyState.Stopping) JournalStop($"fault in {callback}");
            _fault = $"{callback}: {ex.Message}";
            _logger.LogError(ex, "Strategy {Id} faulted in {Callback}; cancelling its orders", Id, callback);
            _metrics.Faults.Add(1, new("strategy", Id), new("callback", callback));
            _state = StrategyState.Faulted;
            _runningSince = null;
            try { await _strategy.OnStop(CancellationToken.None); }
            catch (Exception again) { _logger.LogError(again, "Strategy {Id} could not cancel its orders after the fault", Id); }
        }
    }

    private void JournalStop(string why)
    {
        _journal.Append(Id, new StrategyEvent(StrategyEventKind.Stopped, _time.GetUtcNow(), 0, 0, why));
        WasRunning = false;
    }

    private StrategyCommandResult Refused(string problem) => StrategyCommandResult.Refused(problem, Snapshot());

    private StrategyStatus Snapshot() => new(Id, Kind, Market, _options.Mode, _state, _runningSince, _lastBar, _fault, _lastTrip,
        _killSwitch.Peak, _strategy.Risk, _strategy.View());

    private static decimal? Mid(MarkUpdated m) => m.BestBid is { } bid && m.BestAsk is { } ask ? (bid + ask) / 2 : m.Mark ?? m.Reference;
}
