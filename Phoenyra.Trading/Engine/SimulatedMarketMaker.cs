using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Book;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// Simulated liquidity for the demo desk and paper trading: <see cref="MarketMakerOptions.Levels"/>
/// quotes a side around the reference price. Quotes are ephemeral book orders with negative ids:
/// never journaled, never restored, never shown as anyone's orders. Runs on the market's loop.
/// </summary>
internal sealed class SimulatedMarketMaker(MarketSpec spec, MarketMakerOptions options)
{
    private readonly List<long> _quotes = [];
    private long _nextQuoteId;

    public bool Enabled => options.Enabled;

    /// <summary>The quotes' account; fills against it do not move the desk's position.</summary>
    public string Account => options.Account;

    /// <summary>
    /// Replaces the quotes around <paramref name="reference"/>. A new quote that crosses a resting
    /// order trades with it, as moving liquidity would; the caller journals those fills.
    /// </summary>
    public void Requote(decimal reference, OrderBook book, IMatchListener listener)
    {
        foreach (var id in _quotes)
            if (book.Remove(id, out var quote)) book.Return(quote);
        _quotes.Clear();
        if (!spec.TryLots(options.QuantityMw, out var lots) || lots <= 0) return;
        for (var level = 0; level < options.Levels; level++)
        {
            var offset = options.SpreadEur / 2 + level * options.StepEur;
            Quote(OrderSide.Buy, spec.RoundToTick(reference - offset), lots, book, listener);
            Quote(OrderSide.Sell, spec.RoundToTick(reference + offset), lots, book, listener);
        }
    }

    /// <summary>A quote was filled completely and left the book.</summary>
    public void QuoteFilled(long id) => _quotes.Remove(id);

    private void Quote(OrderSide side, long price, long lots, OrderBook book, IMatchListener listener)
    {
        if (price < spec.RoundToTick(spec.MinPrice) || price > spec.RoundToTick(spec.MaxPrice)) return;
        var quote = book.Rent();
        quote.Set(--_nextQuoteId, options.Account, side, price, lots, ephemeral: true);
        book.Match(quote, price, listener);
        if (quote.Remaining == 0) { book.Return(quote); return; }
        book.Rest(quote);
        _quotes.Add(quote.Id);
    }
}
