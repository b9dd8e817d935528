using System.Globalization;

namespace Phoenyra.Strategies.BessAutoTrader;

/// <summary>Planned battery power in a trader's words: the sign, what the battery does, and the order side it takes.</summary>
public static class PlannedPower
{
    /// <summary>"+1.00 MW (discharge → SELL)", "−1.00 MW (charge → BUY)", "0.00 MW (hold)".</summary>
    public static string Describe(double mw)
    {
        var text = mw.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) + " MW";
        return mw > 0 ? $"{text} (discharge → SELL)" : mw < 0 ? $"{text} (charge → BUY)" : $"{text} (hold)";
    }
}
