namespace Phoenyra.Strategies.FlashArb.Loan;

/// <summary>What the borrower's callback did with the loan: how much it hands back (amount + fee, or less: the loan reverts).</summary>
public delegate Task<decimal> FlashLoanCallback(decimal amount, decimal fee, CancellationToken ct);

/// <summary>The outcome of one flash loan: committed (with its transaction id and fee) or reverted with the reason.</summary>
public sealed record FlashLoanResult(bool Committed, string? TransactionId, decimal Fee, string? RevertReason);

/// <summary>
/// An ERC-3156-shaped lender: <c>maxFlashLoan</c>, <c>flashFee</c>, <c>flashLoan</c>, which lends,
/// runs the borrower's callback and takes back amount + fee — or reverts the whole thing.
/// </summary>
public interface IFlashLender
{
    Task<decimal> MaxFlashLoan(CancellationToken ct);

    Task<decimal> FlashFee(decimal amount, CancellationToken ct);

    Task<FlashLoanResult> FlashLoan(decimal amount, FlashLoanCallback onFlashLoan, CancellationToken ct);
}
