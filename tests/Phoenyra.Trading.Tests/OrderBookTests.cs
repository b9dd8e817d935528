using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Book;

namespace Phoenyra.Trading.Tests;

public sealed class OrderBookTests
{
    private sealed class Recorder : IMatchListener
    {
        public List<(long Maker, long Taker, long Price, long Quantity)> Fills { get; } = [];
        public List<long> MakersDone { get; } = [];
        public void OnFill(BookOrder maker, BookOrder taker, long price, long quantity) => Fills.Add((maker.Id, taker.Id, price, quantity));
        public void OnMakerFilled(BookOrder maker) => MakersDone.Add(maker.Id);
    }

    private readonly OrderBook _book = new();
    private readonly Recorder _recorder = new();

    private void Rest(long id, OrderSide side, long price, long quantity, string account = "mm")
    {
        var order = _book.Rent();
        order.Set(id, account, side, price, quantity);
        _book.Rest(order);
    }

    private BookOrder Take(long id, OrderSide side, long limit, long quantity, string account = "taker", bool expectSelfTrade = false)
    {
        var order = _book.Rent();
        order.Set(id, account, side, limit, quantity);
        Assert.Equal(expectSelfTrade, _book.Match(order, limit, _recorder));
        return order;
    }

    [Fact]
    public void Buy_FillsBestPriceFirst_ThenOldestAtThatPrice_AtTheMakersPrice()
    {
        Rest(1, OrderSide.Sell, 10_050, 10);
        Rest(2, OrderSide.Sell, 10_000, 10);
        Rest(3, OrderSide.Sell, 10_000, 10);

        var taker = Take(9, OrderSide.Buy, 10_100, 25);

        Assert.Equal([(2L, 9L, 10_000L, 10L), (3, 9, 10_000, 10), (1, 9, 10_050, 5)], _recorder.Fills);
        Assert.Equal([2L, 3L], _recorder.MakersDone);
        Assert.Equal(0, taker.Remaining);
        Assert.Equal(10_050, _book.BestAsk);
        Assert.True(_book.TryGet(1, out var rest) && rest.Remaining == 5);
    }

    [Fact]
    public void Limit_DoesNotTradeThroughItsPrice()
    {
        Rest(1, OrderSide.Sell, 10_000, 10);
        Rest(2, OrderSide.Sell, 10_100, 10);

        var taker = Take(9, OrderSide.Buy, 10_000, 15);

        Assert.Single(_recorder.Fills);
        Assert.Equal(5, taker.Remaining);
        Assert.Equal(10_100, _book.BestAsk);
    }

    [Fact]
    public void MarketOrder_SweepsLevelsUntilFilledOrBookEmpty()
    {
        Rest(1, OrderSide.Buy, 9_900, 10);
        Rest(2, OrderSide.Buy, 9_800, 10);

        var taker = Take(9, OrderSide.Sell, OrderBook.NoPrice, 30);

        Assert.Equal([9_900L, 9_800L], _recorder.Fills.Select(f => f.Price));
        Assert.Equal(10, taker.Remaining);
        Assert.Equal(OrderBook.NoPrice, _book.BestBid);
    }

    [Fact]
    public void SelfTrade_StopsAtTheOwnOrder_AndLeavesItResting()
    {
        Rest(1, OrderSide.Sell, 10_000, 5, account: "other");
        Rest(2, OrderSide.Sell, 10_000, 5, account: "me");
        Rest(3, OrderSide.Sell, 10_000, 5, account: "other");

        var taker = Take(9, OrderSide.Buy, 10_000, 15, account: "me", expectSelfTrade: true);

        Assert.Equal([1L], _recorder.Fills.Select(f => f.Maker));
        Assert.Equal(10, taker.Remaining);
        Assert.True(_book.TryGet(2, out _));
    }

    [Fact]
    public void Remove_TakesTheOrderOut_AndDropsAnEmptyLevel()
    {
        Rest(1, OrderSide.Buy, 9_900, 10);
        Rest(2, OrderSide.Buy, 9_950, 10);

        Assert.True(_book.Remove(2, out var removed));
        Assert.Equal(2, removed.Id);
        Assert.Equal(9_900, _book.BestBid);
        Assert.False(_book.Remove(2, out _));
        Assert.Equal(1, _book.RestingCount);
    }

    [Fact]
    public void Fillable_CountsCrossingDepthOnly_AndStopsAtOwnOrders()
    {
        Rest(1, OrderSide.Sell, 10_000, 10);
        Rest(2, OrderSide.Sell, 10_010, 10, account: "me");
        Rest(3, OrderSide.Sell, 10_020, 10);

        Assert.Equal(20, _book.Fillable(OrderSide.Buy, 10_010, "you", 100));
        Assert.Equal(10, _book.Fillable(OrderSide.Buy, 10_020, "me", 100));
        Assert.Equal(7, _book.Fillable(OrderSide.Buy, OrderBook.NoPrice, "you", 7));
        Assert.Equal(0, _book.Fillable(OrderSide.Buy, 9_999, "you", 5));
    }

    [Fact]
    public void ManyLevels_StaySorted_WhateverTheInsertOrder()
    {
        var random = new Random(3);
        var prices = Enumerable.Range(1, 300).Select(i => (long)(10_000 + i * 5)).OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < prices.Count; i++) Rest(i + 1, OrderSide.Sell, prices[i], 1);

        var taker = Take(999, OrderSide.Buy, OrderBook.NoPrice, 300);

        Assert.Equal(prices.Order(), _recorder.Fills.Select(f => f.Price));
        Assert.Equal(0, taker.Remaining);
        Assert.Equal(0, _book.RestingCount);
    }
}
