using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;

namespace Phoenyra.Strategies.FlashArb.Cycle;

/// <summary>
/// One arbitrage cycle, as document 002 describes it and correct where the original was not:
/// guards before any market data (in live and paper alike); buy the power leg, sell the matching
/// energy on the futures leg, both IOC; a failed or short second leg unwinds the first; only then
/// the loan settles (pays the power leg, takes the futures proceeds, repays amount + fee) — a
/// reverted settlement unwinds both legs. Profit counts every fill net of venue fees, and the loan fee.
/// </summary>
internal sealed class FlashArbCycle(FlashArbSettings settings, ILeg power, ILeg futures, IFlashLender lender, FlashArbMetrics metrics, ILogger logger,
    long lastId = 0, ICycleJournal? journal = null)
{
    private long _sequence = lastId;

    public FlashArbSettings Settings => settings;

    /// <summary>The last cycle id used (a new cycle object for new settings carries on from it).</summary>
    public long LastId => Interlocked.Read(ref _sequence);

    /// <summary>A new cycle id, for work on the strategy's legs outside a cycle (a flatten).</summary>
    public long NextId() => Interlocked.Increment(ref _sequence);

    public async Task<CycleResult> Run(DateTimeOffset now, decimal dailyNetPnlGbp, CancellationToken ct)
    {
        var id = NextId();
        if (CycleGuards.Blocked(settings, now, dailyNetPnlGbp) is { } reason)
        {
            metrics.Blocked(reason);
            return Done(new CycleResult(id, now, CycleOutcome.Blocked, reason, null, null, null, [], null, 0, 0, null));
        }
        var spot = await power.Quote(ct);
        var fut = await futures.Quote(ct);
        if (spot?.Ask is not { } ask || fut?.Bid is not { } bid)
            return Done(new CycleResult(id, now, CycleOutcome.Skipped, null, spot?.Ask, fut?.Bid, null, [], null, 0, 0, "no quote on a leg"));

        var fee = settings.FeeRate;
        var costPerMwh = ask * (1 + fee);
        var budget = Math.Min(settings.MaxNotionalPerTrade, await lender.MaxFlashLoan(ct));
        var largest = Math.Min(spot.MaxOrderMw, fut.MaxOrderMw * fut.ProductHours / spot.ProductHours);
        var quantity = Math.Floor(Math.Min(budget / costPerMwh / spot.ProductHours, largest) / spot.Lot) * spot.Lot;
        var energy = quantity * spot.ProductHours;
        var loanFeePerMwh = energy > 0 ? await lender.FlashFee(costPerMwh * energy, ct) / energy : 0;
        var spread = Math.Round(bid * (1 - fee) - costPerMwh - loanFeePerMwh, 4);
        metrics.LastSpread = spread;
        if (quantity <= 0 || spread < settings.SpreadMin)
            return Done(new CycleResult(id, now, CycleOutcome.Skipped, null, ask, bid, spread, [], null, 0, 0,
                quantity <= 0 ? "the notional caps leave no lot to trade" : $"net spread {spread} is below SPREAD_MIN {settings.SpreadMin}"));

        var book = new CycleBook(fee);
        if (journal is not null) await journal.Opened(id);
        var bought = await Trade(id, power, OrderSide.Buy, quantity, ask, "POWER", ct);
        book.Add(power.Name, OrderSide.Buy, bought, spot.ProductHours);
        if (bought.Quantity <= 0)
            return Done(new CycleResult(id, now, CycleOutcome.NoFill, null, ask, bid, spread, book.Legs, null, 0, 0, bought.Problem ?? "the power leg did not fill"));

        var boughtEnergy = bought.Quantity * spot.ProductHours;
        var hedge = Math.Floor(boughtEnergy / fut.ProductHours / fut.Lot) * fut.Lot;
        var sold = hedge > 0 ? await Trade(id, futures, OrderSide.Sell, hedge, bid, "FUTURES", ct) : LegFill.None;
        book.Add(futures.Name, OrderSide.Sell, sold, fut.ProductHours);
        var unmatched = boughtEnergy - sold.Quantity * fut.ProductHours;
        if (unmatched > 0)
        {
            metrics.PartialFailures.Add(1);
            logger.LogWarning("Flash-arb cycle {Id}: the futures leg filled {Sold} of {Hedge} MW ({Problem}); unwinding the power leg", id, sold.Quantity, hedge, sold.Problem);
            var back = Math.Min(Math.Round(unmatched / spot.ProductHours / spot.Lot, MidpointRounding.ToPositiveInfinity) * spot.Lot, bought.Quantity);
            await Unwind(id, book, power, OrderSide.Sell, back, "UNWIND-POWER", spot.ProductHours, ct);
            if (sold.Quantity <= 0)
                return Done(new CycleResult(id, now, book.Outcome(CycleOutcome.UnwoundFuturesLeg), null, ask, bid, spread, book.Legs, null, 0, book.Cash,
                    book.Problem(sold.Problem ?? "the futures leg did not fill"), book.OpenLegs));
        }

        // Only now the loan: it pays the power leg's settlement and is repaid from the futures proceeds.
        var spotCost = -book.CashAt(power.Name);
        var proceeds = book.CashAt(futures.Name);
        metrics.LoanAttempts.Add(1);
        FlashLoanResult loan;
        try
        {
            loan = await lender.Settle(new Settlement(Math.Round(spotCost, 2, MidpointRounding.ToPositiveInfinity), Math.Round(proceeds, 2, MidpointRounding.ToNegativeInfinity)), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loan = new FlashLoanResult(false, null, 0, ex.Message);
            logger.LogError(ex, "Flash-arb cycle {Id}: the settlement call failed", id);
        }
        if (!loan.Committed)
        {
            metrics.LoanFailures.Add(1);
            metrics.Blocked("settlement_failed");
            logger.LogError("Flash-arb cycle {Id}: settlement reverted ({Reason}); unwinding both legs{Trace}", id, loan.RevertReason, Environment.NewLine + Environment.StackTrace);
            var held = bought.Quantity - book.Sold(power.Name);
            if (held > 0) await Unwind(id, book, power, OrderSide.Sell, held, "SETTLE-UNWIND-POWER", spot.ProductHours, ct);
            if (sold.Quantity > 0) await Unwind(id, book, futures, OrderSide.Buy, sold.Quantity, "SETTLE-UNWIND-FUTURES", fut.ProductHours, ct);
            return Done(new CycleResult(id, now, book.Outcome(CycleOutcome.UnwoundSettlement), "settlement_failed", ask, bid, spread, book.Legs, null, 0, book.Cash,
                book.Problem(loan.RevertReason), book.OpenLegs));
        }
        metrics.LoanCommits.Add(1);
        var outcome = book.Outcome(unmatched > 0 ? CycleOutcome.UnwoundFuturesLeg : CycleOutcome.Completed);
        return Done(new CycleResult(id, now, outcome, null, ask, bid, spread, book.Legs, loan.TransactionId, loan.Fee, book.Cash - loan.Fee, book.Problem(null), book.OpenLegs));
    }

    /// <summary>Trades back what a cycle holds on a leg; what does not fill stays open, and the cycle says so.</summary>
    private async Task Unwind(long id, CycleBook book, ILeg leg, OrderSide side, decimal quantity, string what, decimal hours, CancellationToken ct)
    {
        var fill = await Trade(id, leg, side, quantity, null, what, ct);
        book.Add(leg.Name, side, fill, hours);
        if (fill.Quantity >= quantity) return;
        var open = new OpenLeg(leg.Name, side == OrderSide.Sell ? "long" : "short", quantity - fill.Quantity);
        book.Failed(open, fill.Problem ?? $"{what} filled {fill.Quantity} of {quantity} MW");
        metrics.Blocked("unwind_failed");
        logger.LogCritical("Flash-arb cycle {Id}: the unwind {What} on {Venue} filled {Filled} of {Quantity} MW ({Problem}); {Open} MW stay {Position}",
            id, what, leg.Name, fill.Quantity, quantity, fill.Problem, open.Quantity, open.Position);
    }

    /// <summary>An IOC on a leg, journalled before it is sent and once it is answered, so a restart knows what is certain.</summary>
    private async Task<LegFill> Trade(long id, ILeg leg, OrderSide side, decimal quantity, decimal? limit, string what, CancellationToken ct)
    {
        var clientOrderId = $"FA-{id}-{what}";
        if (journal is not null) await journal.LegSent(id, new CycleLegRecord(clientOrderId, leg.Name, side, quantity, null, null));
        var fill = await leg.Trade(side, quantity, limit, clientOrderId, ct);
        if (journal is not null) await journal.LegDone(id, new CycleLegRecord(clientOrderId, leg.Name, side, quantity, fill.Quantity, fill.AveragePrice));
        return fill;
    }

    private CycleResult Done(CycleResult result)
    {
        metrics.Cycle(result);
        return result;
    }

    /// <summary>A cycle's fills and the cash they moved (GBP, net of venue fees).</summary>
    private sealed class CycleBook(decimal fee)
    {
        private readonly Dictionary<string, decimal> _cash = new(StringComparer.Ordinal);

        public List<CycleLeg> Legs { get; } = [];

        /// <summary>All the cycle's fills, net: what it earned before the loan fee.</summary>
        public decimal Cash => Math.Round(_cash.Values.Sum(), 2);

        /// <summary>Cash in (+) or out (−) at one venue.</summary>
        public decimal CashAt(string venue) => _cash.GetValueOrDefault(venue);

        public void Add(string venue, OrderSide side, LegFill fill, decimal hours)
        {
            Legs.Add(new CycleLeg(venue, Codes.Of(side), fill.Quantity, fill.AveragePrice));
            if (fill.Quantity <= 0 || fill.AveragePrice is not { } price) return;
            var value = fill.Quantity * price * hours;
            _cash[venue] = CashAt(venue) + (side == OrderSide.Buy ? -value * (1 + fee) : value * (1 - fee));
        }

        public decimal Sold(string venue) => Legs.Where(l => l.Venue == venue && l.Side == "sell").Sum(l => l.Quantity);

        private readonly List<OpenLeg> _open = [];
        private readonly List<string> _why = [];

        /// <summary>What failed unwinds left open (null when nothing: the JSON of an ordinary cycle stays as it was).</summary>
        public IReadOnlyList<OpenLeg>? OpenLegs => _open.Count > 0 ? _open.ToList() : null;

        public void Failed(OpenLeg open, string why)
        {
            _open.Add(open);
            _why.Add(why);
        }

        /// <summary><see cref="CycleOutcome.UnwindFailed"/> once an unwind failed, whatever the cycle would otherwise have been.</summary>
        public CycleOutcome Outcome(CycleOutcome otherwise) => _open.Count > 0 ? CycleOutcome.UnwindFailed : otherwise;

        /// <summary>The sentence: the legs left open and why, before the cycle's own problem.</summary>
        public string? Problem(string? otherwise) => _open.Count == 0 ? otherwise
            : $"unwind failed, {string.Join(" and ", _open)} left open ({string.Join("; ", _why)})"
              + (otherwise is null ? "" : $"; {otherwise}");
    }
}
