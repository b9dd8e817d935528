using Phoenyra.Core.Prices;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Bess.Tests;

/// <summary>The real DE-LU prices in ../shared/data beside the checkout (read from there, never copied in).</summary>
internal static class SharedPrices
{
    private static readonly Lazy<double[]> HourlyYear = new(() => Load("DE-LU_DA_hourly_2025_SMARD.csv"));
    private static readonly Lazy<double[]> QuarterHourDecember = new(() => Load("DE-LU_DA_15min_2025-12_SMARD.csv"));

    public static double[] Hourly2025 => HourlyYear.Value;
    public static double[] QuarterHourDec2025 => QuarterHourDecember.Value;

    public static string PathOf(string file) => SharedData.PricesFile(file);

    private static double[] Load(string file) => CsvPriceFile.Read(PathOf(file)).Points.Select(p => (double)p.Price).ToArray();
}
