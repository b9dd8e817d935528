using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Engine;

internal sealed partial class MatchingEngine
{
    private readonly MarketMakerOptions _mm;
    private readonly List<long> _quotes = [];
    private long _nextQuoteId;

    /// <summary>A price source moved the reference: the simulated market maker re-quotes around it.</summary>
    public void SetReference(decimal price, DateTimeOffset time) => _inbox.Writer.TryWrite(() => HandleReference(price));

    private void HandleReference(decimal reference)
    {
        Begin();
        _data.Reference = reference;
        _data.CountPriceEvent();
        TradingMetrics.PriceEvents.Add(1, new KeyValuePair<string, object?>("market", _spec.Id));
        if (_mm.Enabled) Requote(reference);
        AddMarketEvents();
        _snapshot = BuildSnapshot(_now);
        _journal.Write(_records.ToArray(), _events.ToArray());
    }

    /// <summary>
    /// Replaces the quotes with <see cref="MarketMakerOptions.Levels"/> levels a side around the
    /// reference. A new quote that crosses a resting order trades with it, as moving liquidity
    /// would; those fills are journaled like any other.
    /// </summary>
    private void Requote(decimal reference)
    {
        foreach (var id in _quotes)
            if (_book.Remove(id, out var quote)) _book.Return(quote);
        _quotes.Clear();
        if (!_spec.TryLots(_mm.QuantityMw, out var lots) || lots <= 0) return;
        for (var level = 0; level < _mm.Levels; level++)
        {
            var offset = _mm.SpreadEur / 2 + level * _mm.StepEur;
            Quote(OrderSide.Buy, _spec.RoundToTick(reference - offset), lots);
            Quote(OrderSide.Sell, _spec.RoundToTick(reference + offset), lots);
        }
    }

    private void Quote(OrderSide side, long price, long lots)
    {
        if (price < _spec.RoundToTick(_spec.MinPrice) || price > _spec.RoundToTick(_spec.MaxPrice)) return;
        var quote = _book.Rent();
        quote.Set(--_nextQuoteId, _mm.Account, side, price, lots, ephemeral: true);
        _book.Match(quote, price, this);
        if (quote.Remaining == 0) { _book.Return(quote); return; }
        _book.Rest(quote);
        _quotes.Add(quote.Id);
    }
}
