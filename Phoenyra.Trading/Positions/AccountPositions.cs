using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Positions;

/// <summary>An account's position in one market (the auto-trader's, a strategy's, a trader's key).</summary>
public sealed record AccountPositionView(string Account, PositionView Position);

/// <summary>
/// One market's positions per account, beside the desk's: so the auto-trader's and each
/// strategy's fills are visibly theirs. Changed and read only on the market's loop.
/// </summary>
internal sealed class AccountPositions(MarketSpec spec)
{
    private readonly Dictionary<string, Position> _byAccount = new(StringComparer.Ordinal);

    public void Apply(string account, OrderSide side, long lots, long priceTicks)
    {
        if (!_byAccount.TryGetValue(account, out var position)) _byAccount[account] = position = new Position(spec);
        position.Apply(side, lots, priceTicks);
    }

    public Dictionary<string, Snapshots.PositionData> Capture() => _byAccount.ToDictionary(p => p.Key, p => p.Value.Capture(), StringComparer.Ordinal);

    public void Restore(IReadOnlyDictionary<string, Snapshots.PositionData> accounts)
    {
        _byAccount.Clear();
        foreach (var (account, data) in accounts)
        {
            var position = _byAccount[account] = new Position(spec);
            position.Restore(data);
        }
    }

    public long NetLots(string account) => _byAccount.TryGetValue(account, out var position) ? position.NetLots : 0;

    public List<AccountPositionView> Views(decimal? mark, string? account) =>
        _byAccount.Where(p => account is null || p.Key == account)
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new AccountPositionView(p.Key, p.Value.Revalue(mark)))
            .ToList();
}
