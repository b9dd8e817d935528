using Microsoft.Extensions.Time.Testing;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Tests;

/// <summary>
/// The mark as a trader expects it (README, "The mark"): a recent last trade clamped into the
/// current bid/ask, the mid once the trade is older than Phoenyra:Trading:MarkTradeMaxAgeSeconds,
/// the reference without a two-sided book.
/// </summary>
public sealed class MarkTests
{
    private static readonly Dictionary<string, string?> SixtySeconds = new() { ["Phoenyra:Trading:MarkTradeMaxAgeSeconds"] = "60" };

    private static async Task<Engine.MarketSnapshot> AfterReference(TradingHost host, decimal reference)
    {
        host.Engine().SetReference(reference);
        await host.Engine().Query(_ => true); // the loop has re-quoted and re-marked
        return host.Engine().Snapshot;
    }

    [Fact]
    public async Task ATradeBelowTheNewBid_MarksAtTheBid_AndAfterItsAgeAtTheMid()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await TradingHost.Start(marketMaker: true, extra: SixtySeconds, clock: clock);
        await AfterReference(host, 83.23m);
        var fill = await host.Limit(OrderSide.Buy, 1m, 83.43m, tif: TimeInForce.Ioc); // lifts the market maker's ask
        Assert.Equal(83.43m, fill.AveragePrice);

        var moved = await AfterReference(host, 85.32m); // the book moves up: bid 85.12, ask 85.52

        Assert.Equal((85.12m, 85.52m, 83.43m), (moved.BestBid!.Value, moved.BestAsk!.Value, moved.LastTrade!.Value));
        Assert.Equal((85.12m, MarkSource.BestBid), (moved.Mark!.Value, moved.MarkSource));
        Assert.Equal(85.12m, moved.Position.Mark);

        clock.Advance(TimeSpan.FromSeconds(61));
        var later = await AfterReference(host, 85.32m);

        Assert.Equal((85.32m, MarkSource.Mid), (later.Mark!.Value, later.MarkSource));
    }

    [Fact]
    public async Task ATradeInsideTheSpread_IsTheMark_AndATradeAboveTheNewAsk_MarksAtTheAsk()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await TradingHost.Start(marketMaker: true, extra: SixtySeconds, clock: clock);
        await AfterReference(host, 80m);
        await host.Limit(OrderSide.Sell, 1m, 79.8m, tif: TimeInForce.Ioc); // hits the bid at 79.80

        var same = await AfterReference(host, 80m);
        var lower = await AfterReference(host, 70m);

        Assert.Equal((79.80m, MarkSource.LastTrade), (same.Mark!.Value, same.MarkSource));
        Assert.Equal((70.20m, MarkSource.BestAsk), (lower.Mark!.Value, lower.MarkSource));
    }

    [Fact]
    public async Task WithoutTradesOrABook_TheMarkIsTheReference_AndWithNothingAtAllThereIsNone()
    {
        await using var host = await TradingHost.Start(marketMaker: false);
        Assert.Equal(MarkSource.None, host.Engine().Snapshot.MarkSource);
        Assert.Null(host.Engine().Snapshot.Mark);

        var snapshot = await AfterReference(host, 64.5m);

        Assert.Equal((64.5m, MarkSource.Reference), (snapshot.Mark!.Value, snapshot.MarkSource));
    }

    [Fact]
    public async Task ThePriceBand_IsMeasuredFromTheClampedMark_NotAStaleTrade()
    {
        var policy = TradingHost.Policy.Replace("price_band_eur: 100", "price_band_eur: 1.5");
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await TradingHost.Start(policy, marketMaker: true, extra: SixtySeconds, clock: clock);
        await AfterReference(host, 83.23m);
        await host.Limit(OrderSide.Buy, 1m, 83.43m, tif: TimeInForce.Ioc);
        await AfterReference(host, 85.32m);

        // 85.52 is 0.40 from the mark (85.12) but 2.09 from the last trade: the band follows the mark.
        var buy = await host.Limit(OrderSide.Buy, 0.1m, 85.52m, tif: TimeInForce.Ioc);

        Assert.Equal(RejectReason.None, buy.Reason);
        Assert.Equal(OrderStatus.Filled, buy.Status);
    }
}
