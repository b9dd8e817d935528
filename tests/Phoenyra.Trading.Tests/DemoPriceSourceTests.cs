using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Prices;

namespace Phoenyra.Trading.Tests;

public sealed class DemoPriceSourceTests
{
    // Tuesday 2 December 2025, winter time (UTC+1).
    private static readonly DateTimeOffset Tuesday = new(2025, 12, 2, 0, 0, 0, TimeSpan.Zero);

    private static DemoPriceSource Source(int seed = 7) =>
        new(null!, null!, Options.Create(new DemoPriceOptions { Seed = seed }), TimeProvider.System);

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
        var a = Source(seed: 42);
        var b = Source(seed: 42);
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
    public async Task RunningSource_PublishesTicksOnTheBus_AndKeepsABoundedHistory()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", $"--Phoenyra:DataDir={Path.Combine(Path.GetTempPath(), "phoenyra-trading-tests", Guid.NewGuid().ToString("N"))}",
                "--Phoenyra:Trading:DemoPrices:IntervalMs=50", "--Phoenyra:Trading:DemoPrices:HistorySize=10"],
        });
        builder.AddCoreModule().AddTradingModule();
        using var host = builder.Build();
        var feed = host.Services.GetRequiredService<IBus>().Subscribe<ReferencePriceUpdated>();
        await host.StartAsync();

        var received = new List<ReferencePriceUpdated>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (received.Count < 15) received.Add(await feed.Reader.ReadAsync(timeout.Token));
        await host.StopAsync();

        Assert.All(received, t => Assert.Equal("DE-ID-15", t.Market));
        Assert.Equal(received.Select(t => t.Time).Order(), received.Select(t => t.Time));
        var history = host.Services.GetRequiredService<IPriceHistory>().Recent("DE-ID-15");
        Assert.Equal(10, history.Count);
    }
}
