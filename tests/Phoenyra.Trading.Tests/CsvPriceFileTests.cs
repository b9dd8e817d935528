using Phoenyra.Core.Prices;
using Phoenyra.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Trading.Prices;

namespace Phoenyra.Trading.Tests;

public sealed class CsvPriceFileTests
{
    internal static string SharedPrices(string file) => SharedData.PricesFile(file);

    [Fact, Trait("Category", SharedData.Category)]
    public void RealSmardYear_ReadsEveryHour_WithTheDocumentedStatistics()
    {
        var series = CsvPriceFile.Read(SharedPrices("DE-LU_DA_hourly_2025_SMARD.csv"));

        Assert.Empty(series.Errors);
        Assert.Equal(8760, series.Points.Count);
        Assert.Equal(TimeSpan.FromHours(1), series.Step);
        Assert.Equal(-250.32m, series.Points.Min(p => p.Price));
        Assert.Equal(583.40m, series.Points.Max(p => p.Price));
        Assert.Equal(89.32m, Math.Round(series.Points.Average(p => p.Price), 2));
        Assert.Equal(573, series.Points.Count(p => p.Price < 0));
    }

    [Fact, Trait("Category", SharedData.Category)]
    public void QuarterHourFile_HasA15MinuteStep()
    {
        var series = CsvPriceFile.Read(SharedPrices("DE-LU_DA_15min_2025-12_SMARD.csv"));

        Assert.Equal((2976, TimeSpan.FromMinutes(15)), (series.Points.Count, series.Step));
    }

    [Fact]
    public void BadRows_AreReportedWithLineNumbers_AndSkipped()
    {
        var series = CsvPriceFile.Parse(
        [
            "timestamp_utc,timestamp_local,price_eur_mwh",
            "2025-01-01T00:00:00Z,2025-01-01T01:00:00+0100,50.5",
            "yesterday,2025-01-01T02:00:00+0100,51",
            "2025-01-01T02:00:00Z,2025-01-01T03:00:00+0100,n/a",
            "2025-01-01T03:00:00Z",
            "2024-12-31T23:00:00Z,x,49",
            "2025-01-01T04:00:00Z,x,-12.75",
        ]);

        Assert.Equal([50.5m, -12.75m], series.Points.Select(p => p.Price));
        Assert.Equal([3, 4, 5, 6], series.Errors.Select(e => e.Line));
        Assert.Contains("'yesterday' is not an ISO 8601 time", series.Errors[0].Problem);
        Assert.Contains("'n/a' is not a number", series.Errors[1].Problem);
        Assert.Contains("not after the previous row", series.Errors[3].Problem);
    }

    [Fact, Trait("Category", SharedData.Category)]
    public void FileWithoutPriceColumn_IsRejectedNamingTheHeader()
    {
        var error = Assert.Throws<FormatException>(() => CsvPriceFile.Read(SharedPrices("DE_reBAP_15min_2025-12_TransnetBW.csv")));

        Assert.Contains("Line 1", error.Message);
        Assert.Contains("rebap_pos_eur_mwh", error.Message);
    }

    [Fact]
    public async Task Replay_PublishesTheFilesPricesInOrder_AsTheMarketsReference()
    {
        var file = Path.Combine(Path.GetTempPath(), $"phoenyra-replay-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["timestamp_utc,price_eur_mwh", "2025-01-01T00:00:00Z,41.5", "2025-01-01T01:00:00Z,-3.25", "2025-01-01T02:00:00Z,77"]);
        try
        {
            await using var host = await TradingHost.Start(extra: new()
            {
                ["Phoenyra:Trading:CsvReplay:File"] = file,
                ["Phoenyra:Trading:CsvReplay:Market"] = "DE-ID-60",
                ["Phoenyra:Trading:CsvReplay:Speed"] = "360000",
                ["Phoenyra:Trading:CsvReplay:Loop"] = "false",
            });
            var history = host.Services.GetRequiredService<PriceHistory>();
            await DemoPriceSourceTests.WaitFor(() => history.Recent("DE-ID-60").Count == 3);

            Assert.Equal([41.5m, -3.25m, 77m], history.Recent("DE-ID-60").Select(t => t.Price));
            Assert.All(history.Recent("DE-ID-60"), t => Assert.Equal("csv", t.Source));
            await DemoPriceSourceTests.WaitFor(() => host.Engine("DE-ID-60").Snapshot.Reference == 77m);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
