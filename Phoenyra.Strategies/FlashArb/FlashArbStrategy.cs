using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Settings;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.FlashArb;

/// <summary>
/// The flash-arbitrage orchestrator as a strategy on the runtime: a cycle on every bar (a bar a
/// second) while running. Every cycle that trades is journalled before its first order and when it
/// ends, so a restart resolves one left half-done (its legs unwound). An exception in a cycle is
/// logged and counted and the loop backs off 2, 4, 8, 16, then 30 s before it tries again.
/// </summary>
internal sealed class FlashArbStrategy : IStrategy, ICycleJournal
{
    private static readonly int[] BackoffSeconds = [2, 4, 8, 16, 30];
    private const int CyclesKept = 500;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };

    private readonly FlashArbSettings _base;
    private readonly ILeg _power, _futures;
    private readonly IFlashLender _lender;
    private readonly FlashArbMetrics _metrics;
    private readonly StrategyJournal _journal;
    private readonly IBus _bus;
    private readonly string _id;
    private readonly ILogger _logger;
    private readonly List<CycleResult> _cycles = [];
    private FlashArbCycle _cycle;
    private decimal _positive, _negative, _dayNet;
    private DateOnly? _day;
    private int _restarts, _failures, _fills;
    private string? _lastError;
    private DateTimeOffset? _lastSuccess, _retryAt, _now;
    private CycleResult? _latest;
    private List<OpenLeg> _open = [];
    private (string Trigger, string Reason)? _haltRequest;

    public FlashArbStrategy(string id, FlashArbSettings settings, ILeg power, ILeg futures, IFlashLender lender, FlashArbMetrics metrics,
        StrategyJournal journal, IBus bus, ILogger logger)
    {
        _id = id;
        _base = settings;
        _power = power;
        _futures = futures;
        _lender = lender;
        _metrics = metrics;
        _journal = journal;
        _bus = bus;
        _logger = logger;
        _cycle = NewCycle(settings, 0);
    }

    /// <summary>Applies an operator's start-time overrides (strategy parameters only), or says which are wrong and changes nothing.</summary>
    public IReadOnlyList<SettingsError> Override(IReadOnlyDictionary<string, string> overrides)
    {
        var (settings, errors) = _base.With(overrides);
        if (settings is null) return errors;
        _cycle = NewCycle(settings, _cycle.LastId);
        return [];
    }

    public async ValueTask Recover(AccountActivity activity, IReadOnlyList<StrategyEvent> events, CancellationToken ct)
    {
        var closed = new HashSet<long>();
        long lastId = 0;
        foreach (var e in events.Where(e => e.Kind == StrategyEventKind.CycleClosed && e.Text is not null))
        {
            var result = JsonSerializer.Deserialize<CycleResult>(e.Text!, Json)!;
            closed.Add(result.Id);
            Record(result);
        }
        foreach (var opened in events.Where(e => e.Kind == StrategyEventKind.CycleOpened))
        {
            var id = (long)opened.Quantity;
            lastId = Math.Max(lastId, id);
            if (!closed.Contains(id)) await Resolve(id, opened.Time, activity, events, ct);
        }
        _cycle = NewCycle(_cycle.Settings, lastId);
    }

    public ValueTask OnStart(CancellationToken ct)
    {
        _haltRequest = null; // an operator reset the halt; the legs still open stay on the page
        _retryAt = null;
        _failures = 0;
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnBar(Bar bar, CancellationToken ct)
    {
        _now = bar.Time;
        if (_retryAt is { } retry && bar.Time < retry) return;
        try
        {
            var result = await _cycle.Run(bar.Time, DayNet(bar.Time), ct);
            _latest = result;
            if (result.Legs.Count > 0) Close(result);
            if (result.Outcome == CycleOutcome.UnwindFailed) _haltRequest = ("unwind_failed", $"cycle {result.Id}: {result.Problem}");
            _failures = 0;
            _retryAt = null;
            if (result.Outcome is not (CycleOutcome.Blocked or CycleOutcome.Skipped)) _lastSuccess = bar.Time;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _failures++;
            _restarts++;
            _lastError = $"{bar.Time:HH:mm:ss} {ex.GetType().Name}: {ex.Message}";
            var wait = BackoffSeconds[Math.Min(_failures, BackoffSeconds.Length) - 1];
            _retryAt = bar.Time.AddSeconds(wait);
            _metrics.CycleErrors.Add(1);
            _logger.LogError(ex, "Flash-arb cycle failed; the loop backs off {Seconds} s", wait);
        }
    }

    public ValueTask OnOrderFilled(StrategyFill fill, CancellationToken ct) => ValueTask.CompletedTask;

    public void OnOrderClosed(OrderView order) { }

    /// <summary>Every order of a cycle is immediate: nothing rests to cancel.</summary>
    public ValueTask<int> OnStop(CancellationToken ct) => ValueTask.FromResult(0);

    /// <summary>
    /// A closed cycle leaves matched legs, unless an unwind failed: those open legs are traded back at
    /// the market (the side asked for: long, short or both), and what still does not fill stays open.
    /// </summary>
    public async ValueTask<FlattenResult> Flatten(FlattenSide side, CancellationToken ct)
    {
        var closing = _open.Where(o => side == FlattenSide.Both || o.Position == (side == FlattenSide.Long ? "long" : "short")).ToList();
        if (closing.Count == 0) return new FlattenResult(0, [], _open.Count == 0, _open.Count == 0 ? null : $"still open: {string.Join(", ", _open)}");
        var id = _cycle.NextId();
        var legs = new List<CycleLeg>();
        var left = _open.Where(o => !closing.Contains(o)).ToList();
        var problems = new List<string>();
        for (var i = 0; i < closing.Count; i++)
        {
            var open = closing[i];
            var leg = _power.Name == open.Venue ? _power : _futures;
            var closeSide = open.Position == "long" ? OrderSide.Sell : OrderSide.Buy;
            var fill = await leg.Trade(closeSide, open.Quantity, null, $"FA-{id}-FLATTEN-{i + 1}", ct);
            legs.Add(new CycleLeg(open.Venue, Codes.Of(closeSide), fill.Quantity, fill.AveragePrice));
            if (fill.Quantity < open.Quantity)
            {
                left.Add(open with { Quantity = open.Quantity - fill.Quantity });
                problems.Add(fill.Problem ?? $"{open.Venue} filled {fill.Quantity} of {open.Quantity} MW");
            }
        }
        var problem = left.Count == 0 ? null : $"still open: {string.Join(", ", left)}" + (problems.Count > 0 ? $" ({string.Join("; ", problems)})" : "");
        Close(new CycleResult(id, _now ?? DateTimeOffset.UtcNow, CycleOutcome.Flattened, null, null, null, null, legs, null, 0, 0, problem, left));
        return new FlattenResult(0, legs.Select(l => $"{l.Side.ToUpperInvariant()} {l.Quantity} {l.Venue}").ToList(), left.Count == 0, problem);
    }

    public bool Owns(long orderId) => false;

    public StrategyRisk Risk => new(_positive - _negative, 0, 0, 0, 0, _fills, 0);

    public (string Trigger, string Reason)? HaltRequest => _haltRequest;

    public object View()
    {
        var settings = _cycle.Settings;
        var now = _now ?? DateTimeOffset.UtcNow;
        var weekend = now.UtcDateTime.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var dayNet = DayNet(now);
        FlashArbGuard[] guards =
        [
            new("trading", settings.TradingEnabled, settings.TradingEnabled ? "TRADING_ENABLED=1" : "TRADING_ENABLED=0: cycles are blocked"),
            new("weekend", settings.AllowWeekendTrading || !weekend, settings.AllowWeekendTrading ? "weekend trading allowed" : weekend ? "weekend (ALLOW_WEEKEND_TRADING=0)" : "weekday"),
            new("window", settings.TradingWindow.Contains(now), $"{settings.TradingWindow} UTC{(settings.TradingWindow.Overnight ? " (overnight)" : "")}"),
            new("daily_loss", settings.MaxDailyLossGbp <= 0 || -dayNet < settings.MaxDailyLossGbp, $"today {dayNet:+0.00;-0.00} GBP, stops at -{settings.MaxDailyLossGbp:0}"),
            new("loan", true, $"limit {settings.LoanLimitGbp:#,0} GBP, {settings.MaxNotionalPerTrade:#,0} per trade, fee {settings.FlashLoanFeeBps:0.##} bps"),
        ];
        var parameters = FlashArbSettings.ParameterNames.ToDictionary(n => n, settings.Parameter);
        return new FlashArbView(guards, (_latest is { NetSpreadPerMwh: not null } ? _latest : _cycles.FirstOrDefault(c => c.NetSpreadPerMwh is not null))?.NetSpreadPerMwh,
            _positive, _negative, dayNet, _restarts, _lastError, _lastSuccess, _retryAt, parameters, _cycles.ToList(), _latest, _open.ToList());
    }

    /// <summary>The lender settling the cycles (fixed at construction).</summary>
    public IFlashLender Lender => _lender;

    /// <summary>The power and the futures leg (fixed at construction).</summary>
    public IReadOnlyList<ILeg> Legs => [_power, _futures];

    private FlashArbCycle NewCycle(FlashArbSettings settings, long lastId) => new(settings, _power, _futures, _lender, _metrics, _logger, lastId, this);

    ValueTask ICycleJournal.Opened(long cycle) => Write(StrategyEventKind.CycleOpened, cycle, null);

    ValueTask ICycleJournal.LegSent(long cycle, CycleLegRecord leg) => Write(StrategyEventKind.CycleLegSent, cycle, leg);

    ValueTask ICycleJournal.LegDone(long cycle, CycleLegRecord leg) => Write(StrategyEventKind.CycleLegDone, cycle, leg);

    private ValueTask Write(StrategyEventKind kind, long cycle, CycleLegRecord? leg)
    {
        _journal.Append(_id, new StrategyEvent(kind, _now ?? DateTimeOffset.UtcNow, cycle, 0, leg is null ? null : JsonSerializer.Serialize(leg, Json)));
        return ValueTask.CompletedTask;
    }

    private void Close(CycleResult result)
    {
        _journal.Append(_id, new StrategyEvent(StrategyEventKind.CycleClosed, result.Time, result.Id, result.ProfitGbp, JsonSerializer.Serialize(result, Json)));
        Record(result);
    }

    private void Record(CycleResult result)
    {
        _cycles.Insert(0, result);
        if (_cycles.Count > CyclesKept) _cycles.RemoveAt(_cycles.Count - 1);
        if (result.Outcome == CycleOutcome.UnwindFailed) _open = OpenLeg.Sum([.. _open, .. result.Open ?? []]);
        else if (result.Outcome == CycleOutcome.Flattened) _open = (result.Open ?? []).ToList();
        _fills += result.Legs.Count(l => l.Quantity > 0);
        if (result.ProfitGbp > 0) _positive += result.ProfitGbp;
        else _negative -= result.ProfitGbp;
        DayNet(result.Time);
        if (DateOnly.FromDateTime(result.Time.UtcDateTime) == _day) _dayNet += result.ProfitGbp;
    }

    /// <summary>Profits net of losses since 00:00 UTC of the latest day seen (a new day starts at 0).</summary>
    private decimal DayNet(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_day is null || today > _day)
        {
            _day = today;
            _dayNet = 0;
        }
        return _dayNet;
    }

    /// <summary>A cycle the desk stopped in: what its orders left on both legs is traded back at the market.</summary>
    private async Task<CycleResult> Resolve(long id, DateTimeOffset time, AccountActivity power, IReadOnlyList<StrategyEvent> events, CancellationToken ct)
    {
        var prefix = $"FA-{id}-";
        decimal powerNet, futuresNet;
        if (_power is DeskLeg && _futures is DeskLeg)
        {
            // The desk's journal has every fill of the cycle's orders: it is the truth.
            var futures = await _bus.Send(new GetAccountActivity(_id, _futures.Name), ct);
            decimal Net(AccountActivity activity) =>
                activity.Fills.Where(f => f.ClientOrderId?.StartsWith(prefix, StringComparison.Ordinal) == true).Sum(f => f.Side == OrderSide.Buy ? f.Quantity : -f.Quantity);
            powerNet = Net(power);
            futuresNet = Net(futures);
        }
        else
        {
            // A live venue's fills are known from the answers the cycle journalled; an order sent without an answer is not.
            var records = events.Where(e => (long)e.Quantity == id && e.Text is not null && e.Kind is StrategyEventKind.CycleLegSent or StrategyEventKind.CycleLegDone)
                .Select(e => (e.Kind, Leg: JsonSerializer.Deserialize<CycleLegRecord>(e.Text!, Json)!)).ToList();
            var done = records.Where(r => r.Kind == StrategyEventKind.CycleLegDone).Select(r => r.Leg).ToList();
            var unanswered = records.Where(r => r.Kind == StrategyEventKind.CycleLegSent && done.All(d => d.ClientOrderId != r.Leg.ClientOrderId)).Select(r => r.Leg.ClientOrderId).ToList();
            if (unanswered.Count > 0)
            {
                _logger.LogCritical("Flash-arb cycle {Id} was open when the desk stopped, with orders {Orders} unanswered by the venue: reconcile them", id, unanswered);
                var unresolved = new CycleResult(id, time, CycleOutcome.Unresolved, null, null, null, null, [], null, 0, 0,
                    $"the desk stopped before {string.Join(", ", unanswered)} was answered; reconcile it with the venue");
                Close(unresolved);
                return unresolved;
            }
            decimal Net(string venue) => done.Where(d => d.Venue == venue).Sum(d => (d.Side == OrderSide.Buy ? 1 : -1) * (d.Filled ?? 0));
            powerNet = Net(_power.Name);
            futuresNet = Net(_futures.Name);
        }
        var legs = new List<CycleLeg>();
        if (powerNet != 0)
        {
            var fill = await _power.Trade(powerNet > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(powerNet), null, $"FA-{id}-RESTART-POWER", ct);
            legs.Add(new CycleLeg(_power.Name, powerNet > 0 ? "sell" : "buy", fill.Quantity, fill.AveragePrice));
        }
        if (futuresNet != 0)
        {
            var fill = await _futures.Trade(futuresNet > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(futuresNet), null, $"FA-{id}-RESTART-FUTURES", ct);
            legs.Add(new CycleLeg(_futures.Name, futuresNet > 0 ? "sell" : "buy", fill.Quantity, fill.AveragePrice));
        }
        _logger.LogWarning("Flash-arb cycle {Id} was open when the desk stopped: power {Power} MW and futures {Futures} MW unwound", id, powerNet, futuresNet);
        var result = new CycleResult(id, time, CycleOutcome.UnwoundOnRestart, null, null, null, null, legs, null, 0, 0, "the desk stopped mid-cycle");
        Close(result);
        return result;
    }
}
