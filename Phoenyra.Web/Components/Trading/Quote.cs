using System.Globalization;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Web.Components.Trading;

/// <summary>How the trading screen writes prices, sizes and times: fixed decimals, invariant culture, a dash for nothing.</summary>
internal static class Quote
{
    public const string None = "—";

    public static string Price(decimal? price) => price?.ToString("0.00", CultureInfo.InvariantCulture) ?? None;

    public static string Mw(decimal? quantity) => quantity?.ToString("0.###", CultureInfo.InvariantCulture) ?? None;

    public static string Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? None;

    public static string Source(MarkSource source) => source switch
    {
        MarkSource.LastTrade => "last trade",
        MarkSource.BestBid => "last trade, held at the bid",
        MarkSource.BestAsk => "last trade, held at the ask",
        MarkSource.Mid => "mid",
        MarkSource.Reference => "reference",
        _ => "no price yet",
    };
}
