using System.Globalization;

namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// Client order ids in the original's shape, so its tools read them: entries
/// <c>HG1-LONG-01-&lt;ticks&gt;-&lt;n&gt;</c>, take-profits <c>HG1-TP-L01-…</c>, stop-losses <c>HG1-SL-S01-…</c>.
/// </summary>
public static class GridOrderIds
{
    public static string Entry(GridSide side, int rung, long priceTicks, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"HG1-{(side == GridSide.Long ? "LONG" : "SHORT")}-{rung:00}-{priceTicks}-{sequence}");

    public static string TakeProfit(GridSide side, int rung, long priceTicks, long sequence) => Exit("TP", side, rung, priceTicks, sequence);

    public static string StopLoss(GridSide side, int rung, long priceTicks, long sequence) => Exit("SL", side, rung, priceTicks, sequence);

    /// <summary>A closing order of the flatten action or the kill switch: <c>HG1-FLAT-L-&lt;n&gt;</c> closes the long leg.</summary>
    public static string Flatten(GridSide side, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"HG1-FLAT-{(side == GridSide.Long ? "L" : "S")}-{sequence}");

    private static string Exit(string kind, GridSide side, int rung, long priceTicks, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"HG1-{kind}-{(side == GridSide.Long ? "L" : "S")}{rung:00}-{priceTicks}-{sequence}");
}
