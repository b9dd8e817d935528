namespace Phoenyra.Strategies.FlashArb.Loan;

/// <summary>
/// The stand-in for the on-chain lender when <c>USE_WEB3_LOAN=0</c>: the same interface, a float of
/// <c>LOAN_LIMIT_GBP</c> (treasury may withdraw from it), a fee in basis points, and the same
/// all-or-nothing rule (a loan above the float, or futures proceeds short of amount + fee, reverts
/// and the float is as before).
/// </summary>
public sealed class InProcessFlashLender(decimal limitGbp, decimal feeBps) : IFlashLender
{
    private readonly decimal _limit = limitGbp;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _sequence;
    private decimal _float = limitGbp;


    /// <summary>Fees earned (GBP): what the lender's balance grew by.</summary>
    public decimal Earned { get; private set; }

    public Task<decimal> MaxFlashLoan(CancellationToken ct) => Task.FromResult(Math.Min(_limit, _float));

    /// <summary>Treasury takes float away (it may leave less than a quoted cycle needs: that cycle's settlement reverts).</summary>
    public void Withdraw(decimal amount) => _float = Math.Max(0, _float - amount);

    public Task<decimal> FlashFee(decimal amount, CancellationToken ct) => Task.FromResult(Math.Round(amount * feeBps / 10_000m, 2, MidpointRounding.AwayFromZero));

    public async Task<FlashLoanResult> Settle(Settlement settlement, CancellationToken ct)
    {
        var amount = settlement.PowerPayment;
        var available = Math.Min(_limit, _float);
        if (amount <= 0 || amount > available) return new FlashLoanResult(false, null, 0, $"amount {amount} is outside (0, {available}] (maxFlashLoan)");
        var fee = await FlashFee(amount, ct);
        await _gate.WaitAsync(ct);
        try
        {
            // Inside the loan: the power leg is paid with the loan, the futures proceeds come in, amount + fee go back.
            if (settlement.FuturesProceeds < amount + fee)
                return new FlashLoanResult(false, null, fee, $"the futures proceeds {settlement.FuturesProceeds} do not repay amount {amount} + fee {fee}");
            Earned += fee;
            _float += fee;
            return new FlashLoanResult(true, $"local-{Interlocked.Increment(ref _sequence):D8}", fee, null);
        }
        finally
        {
            _gate.Release();
        }
    }
}
