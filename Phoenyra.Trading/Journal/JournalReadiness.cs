using Phoenyra.Core.Health;

namespace Phoenyra.Trading.Journal;

/// <summary><c>/healthz</c>'s <c>journal</c> line: 503 while the store refuses commits (orders are refused meanwhile).</summary>
internal sealed class JournalReadiness(TradeJournal journal) : IReadinessCheck
{
    public string Name => "journal";

    public bool Enabled => true;

    public Task<(bool Ok, string Detail)> Check(CancellationToken ct) =>
        Task.FromResult(journal.Unavailable is { } why ? (false, $"cannot commit: {why}") : (true, "commits"));
}
