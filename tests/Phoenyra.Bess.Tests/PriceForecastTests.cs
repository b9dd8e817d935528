using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Bess.Forecasting;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Storage;

namespace Phoenyra.Bess.Tests;

/// <summary>The planner's forecast: day-ahead first, then yesterday's stored prices, then the latest; all of it survives a restart.</summary>
public sealed class PriceForecastTests : IDisposable
{
    private const string Market = "DE-ID-15";
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 7, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Today = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phoenyra-tests", Guid.NewGuid().ToString("N"));
    private readonly List<IHost> _hosts = [];

    /// <summary>The real store on a file in this test's folder, as a desk (or a restarted one) opens it.</summary>
    private PriceForecaster Desk()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Phoenyra:DataDir"] = _folder;
        builder.AddCoreModule();
        builder.Services.AddMigration(Telemetry.TelemetryStore.Schema); // bess v1, before the prices' v2
        builder.Services.AddMigration(PriceHistoryStore.Schema);
        builder.Services.AddSingleton<PriceHistoryStore>();
        var host = builder.Build();
        _hosts.Add(host);
        host.Services.GetRequiredService<IStore>().Migrate();
        return new PriceForecaster(Market, Quarter, host.Services.GetRequiredService<PriceHistoryStore>());
    }

    [Fact]
    public void Restarted_ItForecastsFromYesterdaysStoredPrices_InsteadOfAFlatLine()
    {
        var before = Desk();
        for (var k = 0; k < 96; k++) before.Observe(Today.AddDays(-1).AddMinutes(15 * k), 50 + k);
        before.Observe(Now, 80);
        before.Save();

        var restarted = Desk();
        restarted.Load(Now);
        var forecast = restarted.Forecast(restarted.Period(Now), 8);

        Assert.Equal(PriceForecaster.Persistence, forecast.Source.Kind);
        Assert.Equal([80, 91, 92, 93, 94, 95, 96, 97], forecast.Prices); // now live, then yesterday from 10:15
        Assert.Contains("7 from yesterday's prices", forecast.Source.Detail);
        Assert.Contains("No day-ahead curve for DE-ID-15", forecast.Source.Detail);
    }

    [Fact]
    public void ADayAheadCurve_ComesFirst_CoversEachQuarterOfItsHours_AndSurvivesARestart()
    {
        var before = Desk();
        for (var k = 0; k < 96; k++) before.Observe(Today.AddDays(-1).AddMinutes(15 * k), 50);
        before.Save();
        before.Expect(new DayAheadCurvePublished(Market, Today, TimeSpan.FromHours(1), Enumerable.Range(0, 48).Select(h => (decimal)h).ToList(), "csv:da.csv"));

        var restarted = Desk();
        restarted.Load(Now);
        var forecast = restarted.Forecast(restarted.Period(Now) + 1, 8);

        Assert.Equal(PriceForecaster.DayAhead, forecast.Source.Kind);
        Assert.Equal([10, 10, 10, 11, 11, 11, 11, 12], forecast.Prices); // 10:15 … 12:00 from the hourly curve
        Assert.Contains("8 from the day-ahead curve (csv:da.csv)", forecast.Source.Detail);
    }

    [Fact]
    public void TheDemosOwnCurve_NeverReplacesAConfiguredOne_ButFillsWhereThatEnds()
    {
        var desk = Desk();
        desk.Expect(new DayAheadCurvePublished(Market, Today.AddHours(10), TimeSpan.FromHours(1), [100m, 101m], "csv:da.csv"));
        desk.Expect(new DayAheadCurvePublished(Market, Today, Quarter, Enumerable.Repeat(60m, 192).ToList(), "demo"));

        var forecast = desk.Forecast(desk.Period(Today.AddHours(10)), 12);

        Assert.Equal([100, 100, 100, 100, 101, 101, 101, 101, 60, 60, 60, 60], forecast.Prices);
        Assert.Contains("csv:da.csv, demo", forecast.Source.Detail);
    }

    [Fact]
    public void WithNothingButTheLivePrice_ItSaysThePlanIsFlat()
    {
        var desk = Desk();
        desk.Observe(Now, 70);

        var forecast = desk.Forecast(desk.Period(Now), 96);

        Assert.Equal(PriceForecaster.LatestPrice, forecast.Source.Kind);
        Assert.All(forecast.Prices, p => Assert.Equal(70, p));
        Assert.Contains("the plan is flat and holds the battery", forecast.Source.Detail);
    }

    public void Dispose()
    {
        foreach (var host in _hosts) host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
