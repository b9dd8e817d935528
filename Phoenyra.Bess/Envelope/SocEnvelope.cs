using Phoenyra.Bess.Sites;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Bess.Envelope;

/// <summary>
/// The feasibility envelope: per delivery period, the most the battery can still sell (discharge)
/// and buy (charge) so that its SoC path — from the SoC it reports, through every committed
/// position, with the efficiencies — stays inside the window, and no period exceeds the rating.
/// </summary>
internal static class SocEnvelope
{
    /// <param name="committed">Net committed power per grid period from the one being delivered now (MW, + discharge).</param>
    /// <param name="gridStart">Start of the grid period being delivered now.</param>
    /// <param name="product">The market's product length (a whole number of grid periods).</param>
    /// <param name="count">Delivery periods from the next one.</param>
    public static IReadOnlyList<EnvelopePeriod> For(SiteOptions site, double socPercent, DateTimeOffset now, DateTimeOffset gridStart, TimeSpan grid,
        IReadOnlyList<double> committed, TimeSpan product, int count)
    {
        var dt = grid.TotalHours;
        var floor = site.SocMinPercent / 100 * site.CapacityMwh;
        var ceiling = site.SocMaxPercent / 100 * site.CapacityMwh;
        double Out(double mw) => mw >= 0 ? mw * dt / site.DischargeEfficiency : mw * dt * site.ChargeEfficiency;

        // SoC at the end of each grid period, the current one only for what is left of it.
        var soc = new double[committed.Count];
        var left = Math.Clamp((gridStart + grid - now) / grid, 0, 1);
        var level = socPercent / 100 * site.CapacityMwh;
        for (var j = 0; j < committed.Count; j++)
            soc[j] = level -= Out(committed[j]) * (j == 0 ? left : 1);

        var perProduct = Math.Max(1, (int)Math.Round(product / grid));
        // The next product period starts at the first product boundary after the grid period being delivered.
        var current = (long)Math.Round((gridStart - DateTimeOffset.UnixEpoch) / grid);
        var firstProduct = (int)((current / perProduct + 1) * perProduct - current);
        var periods = new List<EnvelopePeriod>(count);
        for (var p = 0; p < count; p++)
        {
            var a = firstProduct + p * perProduct;
            var b = a + perProduct;
            if (b > committed.Count) break;
            var availableDown = Enumerable.Range(a, committed.Count - a).Min(k => soc[k] - floor);
            var availableUp = Enumerable.Range(a, committed.Count - a).Min(k => ceiling - soc[k]);
            var maxSell = Largest(x => Fits(x, +1), site.PowerMw - Enumerable.Range(a, perProduct).Max(j => committed[j]));
            var maxBuy = Largest(y => Fits(y, -1), site.PowerMw + Enumerable.Range(a, perProduct).Min(j => committed[j]));
            periods.Add(new EnvelopePeriod(gridStart + grid * a, gridStart + grid * b, maxBuy, maxSell,
                product.TotalHours / site.DischargeEfficiency, product.TotalHours * site.ChargeEfficiency, Math.Max(0, availableDown), Math.Max(0, availableUp)));

            // Whether x MW more (sign +1: selling, −1: buying) in every grid period of [a, b) keeps every later SoC in the window.
            bool Fits(double x, int sign)
            {
                var shift = 0.0;
                for (var k = a; k < committed.Count; k++)
                {
                    if (k < b) shift += Out(committed[k] + sign * x) - Out(committed[k]);
                    var level = soc[k] - shift;
                    if (sign > 0 ? level < floor - 1e-9 : level > ceiling + 1e-9) return false;
                }
                return true;
            }
        }
        return periods;
    }

    /// <summary>The largest x in [0, cap] that fits (fitting is monotone), to 0.001 MW, rounded down.</summary>
    private static decimal Largest(Func<double, bool> fits, double cap)
    {
        if (!(cap > 0) || !fits(0)) return 0;
        if (fits(cap)) return Math.Floor((decimal)cap * 1000) / 1000;
        double low = 0, high = cap;
        for (var i = 0; i < 40; i++)
        {
            var mid = (low + high) / 2;
            if (fits(mid)) low = mid; else high = mid;
        }
        return Math.Floor((decimal)low * 1000) / 1000;
    }
}
