using System.Globalization;

namespace Phoenyra.Strategies.FlashArb.Settings;

/// <summary>
/// <c>TRADING_WINDOW_UTC</c>: <c>HH:mm-HH:mm</c> in UTC, start included, end excluded. An end before
/// the start is an overnight window (<c>22:00-06:00</c>); equal ends are the whole day.
/// </summary>
public readonly record struct TradingWindow(TimeOnly Start, TimeOnly End)
{
    public static readonly TradingWindow Default = new(new TimeOnly(5, 0), new TimeOnly(21, 0));

    public bool Overnight => End < Start;

    public bool Contains(DateTimeOffset time)
    {
        var t = TimeOnly.FromDateTime(time.UtcDateTime);
        return Start == End || (Overnight ? t >= Start || t < End : t >= Start && t < End);
    }

    public static bool TryParse(string? text, out TradingWindow window)
    {
        window = Default;
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)) return false;
        window = new TradingWindow(start, end);
        return true;
    }

    public override string ToString() => $"{Start:HH\\:mm}-{End:HH\\:mm}";
}
