using Phoenyra.Core.Contracts;
using Phoenyra.Trading.MarketData;

namespace Phoenyra.Trading.Tests;

public sealed class MarkHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static MarkUpdated Mark(DateTimeOffset time, decimal mark, string market = "DE-ID-15") =>
        new(market, mark, mark, null, mark - 0.2m, mark + 0.2m, mark, time);

    [Fact]
    public async Task KeepsOneSampleASecond_TheLatestOfIt_ForFifteenMinutesPerMarket()
    {
        var history = new MarkHistory();

        await history.Handle(Mark(T0, 80m), default);
        await history.Handle(Mark(T0.AddMilliseconds(600), 81m), default);
        await history.Handle(Mark(T0.AddSeconds(1), 82m), default);
        await history.Handle(Mark(T0.AddSeconds(1), 70m, "DE-ID-60"), default);

        Assert.Equal([81m, 82m], history.Recent("DE-ID-15").Select(s => s.Mark!.Value));
        Assert.Single(history.Recent("DE-ID-60"));

        await history.Handle(Mark(T0.AddMinutes(15).AddSeconds(1), 90m), default);

        Assert.Equal([82m, 90m], history.Recent("DE-ID-15").Select(s => s.Mark!.Value));
        Assert.Empty(history.Recent("DE-BASE-FUT"));
    }
}
