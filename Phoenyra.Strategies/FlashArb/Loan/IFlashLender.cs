namespace Phoenyra.Strategies.FlashArb.Loan;

/// <summary>One cycle's settlement: the loan pays the power leg (<paramref name="PowerPayment"/>) and is repaid from the futures leg's proceeds.</summary>
public sealed record Settlement(decimal PowerPayment, decimal FuturesProceeds);

/// <summary>The outcome of one flash loan: committed (with its transaction id and fee) or reverted with the reason.</summary>
public sealed record FlashLoanResult(bool Committed, string? TransactionId, decimal Fee, string? RevertReason);

/// <summary>
/// An ERC-3156 lender as the cycle uses it: <c>maxFlashLoan</c>, <c>flashFee</c>, and a flash loan
/// that settles a cycle inside its callback — lends the power payment, takes the futures proceeds,
/// repays amount + fee — or reverts the whole thing. Amounts in GBP.
/// </summary>
public interface IFlashLender
{
    Task<decimal> MaxFlashLoan(CancellationToken ct);

    Task<decimal> FlashFee(decimal amount, CancellationToken ct);

    Task<FlashLoanResult> Settle(Settlement settlement, CancellationToken ct);
}
