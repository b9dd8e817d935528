namespace Phoenyra.Trading.Prices;

/// <summary>
/// A German intraday day shape in EUR/MWh: a low night, a morning ramp, the solar dip at noon and
/// the evening peak, with a milder weekend. Hourly anchors are joined by cosine interpolation so
/// the curve is smooth between quarter-hours.
/// </summary>
internal static class IntradayCurve
{
    private static readonly double[] Weekday =
        [78, 74, 71, 69, 70, 76, 92, 112, 118, 104, 86, 70, 62, 60, 66, 82, 104, 132, 146, 138, 121, 106, 95, 86];

    private static readonly double[] Weekend =
        [74, 70, 66, 63, 62, 63, 68, 76, 78, 70, 56, 42, 34, 32, 40, 58, 82, 110, 126, 120, 106, 95, 86, 80];

    public static double At(DateTimeOffset utc)
    {
        var local = utc.ToOffset(BerlinOffset(utc));
        var anchors = local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? Weekend : Weekday;
        var hour = local.TimeOfDay.TotalHours;
        var index = (int)hour;
        var fraction = hour - index;
        var weight = (1 - Math.Cos(fraction * Math.PI)) / 2;
        return anchors[index] * (1 - weight) + anchors[(index + 1) % 24] * weight;
    }

    /// <summary>The mean of the day's shape (what a baseload product for that day prices).</summary>
    public static double DailyMean(DateTimeOffset utc)
    {
        var local = utc.ToOffset(BerlinOffset(utc));
        return (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? Weekend : Weekday).Average();
    }

    // Central European time without a time-zone database (InvariantGlobalization builds may lack ICU data):
    // summer time runs from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
    private static TimeSpan BerlinOffset(DateTimeOffset utc)
    {
        var start = LastSunday(utc.Year, 3).AddHours(1);
        var end = LastSunday(utc.Year, 10).AddHours(1);
        return utc >= start && utc < end ? TimeSpan.FromHours(2) : TimeSpan.FromHours(1);
    }

    private static DateTimeOffset LastSunday(int year, int month)
    {
        var last = new DateTimeOffset(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, TimeSpan.Zero);
        return last.AddDays(-(int)last.DayOfWeek);
    }
}
