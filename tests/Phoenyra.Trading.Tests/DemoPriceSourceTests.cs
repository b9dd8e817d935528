using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Prices;

namespace Phoenyra.Trading.Tests;

public sealed class DemoPriceSourceTests
{
    // Tuesday 2 December 2025, winter time (UTC+1).
    private static readonly DateTimeOffset Tuesday = new(2025, 12, 2, 0, 0, 0, TimeSpan.Zero);


    [Fact]
    public void DayShape_HasTheEveningPeakAboveTheMorning_AndTheSolarDipBelowBoth()
    {
        double BerlinHour(int hour) => IntradayCurve.At(Tuesday.AddHours(hour - 1));

        Assert.True(BerlinHour(18) > BerlinHour(8), "evening peak above morning peak");
        Assert.True(BerlinHour(8) > BerlinHour(13), "morning peak above the solar dip");
        Assert.True(BerlinHour(13) < BerlinHour(3) && BerlinHour(3) < BerlinHour(18), "night sits between dip and peak");
    }

    [Fact]
    public void Weekends_AreCheaperThanWeekdays_AtTheSameHour()
    {
        var saturdayNoon = IntradayCurve.At(new DateTimeOffset(2025, 12, 6, 11, 0, 0, TimeSpan.Zero));
        var tuesdayNoon = IntradayCurve.At(Tuesday.AddHours(11));

        Assert.True(saturdayNoon < tuesdayNoon - 10);
    }

    [Fact]
    public void SummerTime_ShiftsTheShapeByAnHour()
    {
        // 17:00 UTC is 18:00 Berlin in winter and 19:00 in summer; both fall in the evening peak, 13:00 UTC in the dip.
        var july = new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(IntradayCurve.At(Tuesday.AddHours(17)), IntradayCurve.At(july.AddHours(16)), 6);
    }

    [Fact]
    public void Prices_AreOnTheCentTick_StayNearTheCurve_AndRepeatForTheSameSeed()
    {
        var a = new DemoPricePath(42, Markets.DemoPriceShape.Intraday);
        var b = new DemoPricePath(42, Markets.DemoPriceShape.Intraday);
        var now = Tuesday;
        for (var i = 0; i < 24 * 60; i++, now = now.AddMinutes(1))
        {
            var price = a.Next(now);
            Assert.Equal(price, b.Next(now));
            Assert.Equal(price, Math.Round(price, 2));
            Assert.InRange((double)price, IntradayCurve.At(now) - 40, IntradayCurve.At(now) + 40);
        }
    }

    [Fact]
    public async Task RunningSource_PublishesEveryMarket_FeedsTheEngines_AndKeepsABoundedHistory()
    {
        await using var host = await TradingHost.Start(extra: new()
        {
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "true",
            ["Phoenyra:Trading:DemoPrices:IntervalMs"] = "50",
            ["Phoenyra:Trading:DemoPrices:HistorySize"] = "10",
        });
        using var feed = host.Bus.Subscribe<ReferencePriceUpdated>();

        var received = new List<ReferencePriceUpdated>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.Count(t => t.Market == "DE-ID-15") < 12) received.Add(await feed.Reader.ReadAsync(timeout.Token));

        Assert.Contains(received, t => t.Market == "DE-ID-60");
        var de15 = received.Where(t => t.Market == "DE-ID-15").Select(t => t.Time).ToList();
        Assert.Equal(de15.Order(), de15);
        Assert.Equal(10, host.Services.GetRequiredService<PriceHistory>().Recent("DE-ID-15").Count);
        await WaitFor(() => host.Engine().Snapshot.Reference is not null);
        Assert.Equal(host.Engine().Snapshot.Reference, host.Engine().Snapshot.Mark);
    }

    internal static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition()) await Task.Delay(20, timeout.Token);
    }
}
