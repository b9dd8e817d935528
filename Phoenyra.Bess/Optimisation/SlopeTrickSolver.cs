namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// Exact solver for the storage LP without a cycle cap, in O(T log T). The best value as a function
/// of the SoC after step t, F_t(s), is concave and piecewise linear. Each step adds two linear
/// pieces to it — "discharge less" (slope −(p−c_deg)·η_d per MWh of SoC) and "charge more" (slope
/// −p/η_c) — as a sup-convolution, which for concave functions is a merge of segments by slope;
/// then the SoC window clips both ends. Segments are kept by slope rank in a sorted set, so a step
/// costs a few O(log T) operations. The plan is read back from which pieces end up taken.
/// </summary>
public static class SlopeTrickSolver
{
    public static StorageSchedule Solve(IReadOnlyList<double> prices, double stepHours, StorageParameters battery, bool[]? noDischarge = null)
    {
        var n = prices.Count;
        var p = battery;
        var dischargeLength = p.PowerMw * stepHours / p.DischargeEfficiency;   // SoC MWh a full discharge removes
        var chargeLength = p.ChargeEfficiency * p.PowerMw * stepHours;           // SoC MWh a full charge adds

        // Item 2t = "discharge less" at step t, 2t+1 = "charge more". Steps in noDischarge may only charge.
        var slope = new double[2 * n];
        var length = new double[2 * n];
        noDischarge ??= new bool[n];
        for (var t = 0; t < n; t++)
        {
            slope[2 * t] = -(prices[t] - p.DegradationCostPerMwh) * p.DischargeEfficiency;
            length[2 * t] = noDischarge[t] ? 0 : dischargeLength;
            slope[2 * t + 1] = -prices[t] / p.ChargeEfficiency;
            length[2 * t + 1] = chargeLength;
        }
        var order = Enumerable.Range(0, 2 * n).ToArray();
        Array.Sort(order, (a, b) => slope[b] != slope[a] ? slope[b].CompareTo(slope[a]) : a.CompareTo(b));
        var rank = new int[2 * n];
        for (var r = 0; r < order.Length; r++) rank[order[r]] = r;

        var lengths = new Lengths(2 * n);
        var active = new SortedSet<int>();
        var forced = new double[2 * n];
        var x0 = p.InitialSocMwh;
        for (var t = 0; t < n; t++)
        {
            if (!noDischarge[t]) x0 -= dischargeLength;
            foreach (var item in (ReadOnlySpan<int>)[2 * t, 2 * t + 1])
            {
                if (length[item] <= 0) continue;
                lengths.Add(rank[item], length[item]);
                active.Add(rank[item]);
            }
            // Below the SoC floor: the steepest segments are taken whatever happens later.
            if (x0 < p.SocMinMwh - 1e-12)
            {
                var need = p.SocMinMwh - x0;
                while (need > 1e-12)
                {
                    if (active.Count == 0) throw new InvalidOperationException($"Step {t}: the SoC cannot stay above {p.SocMinMwh} MWh.");
                    var r = active.Min;
                    var item = order[r];
                    var take = Math.Min(need, lengths.Get(r));
                    lengths.Add(r, -take);
                    forced[item] += take;
                    need -= take;
                    if (lengths.Get(r) <= 1e-12) { lengths.Add(r, -lengths.Get(r)); active.Remove(r); }
                }
                x0 = p.SocMinMwh;
            }
            // Above the SoC ceiling: the flattest segments can never be taken.
            var excess = x0 + lengths.Total - p.SocMaxMwh;
            while (excess > 1e-12)
            {
                var r = active.Max;
                var drop = Math.Min(excess, lengths.Get(r));
                lengths.Add(r, -drop);
                excess -= drop;
                if (lengths.Get(r) <= 1e-12) { lengths.Add(r, -lengths.Get(r)); active.Remove(r); }
            }
        }

        // End: the best SoC at or above the floor takes every segment with a positive slope.
        var end = x0;
        var taken = (double[])forced.Clone();
        foreach (var r in active)
        {
            var item = order[r];
            var available = lengths.Get(r);
            var wanted = slope[item] > 0 || end < p.EndSocFloorMwh - 1e-12;
            if (!wanted) break;
            var take = slope[item] > 0 ? available : Math.Min(available, p.EndSocFloorMwh - end);
            taken[item] += take;
            end += take;
        }

        var charge = new double[n];
        var discharge = new double[n];
        for (var t = 0; t < n; t++)
        {
            discharge[t] = noDischarge[t] ? 0 : Math.Max(0, p.PowerMw - taken[2 * t] * p.DischargeEfficiency / stepHours);
            charge[t] = Math.Min(p.PowerMw, taken[2 * t + 1] / (p.ChargeEfficiency * stepHours));
        }
        return ScheduleCheck.Build(prices, stepHours, battery, charge, discharge);
    }

    /// <summary>Remaining segment length per slope rank, and their total.</summary>
    private sealed class Lengths(int size)
    {
        private readonly double[] _values = new double[size];

        public double Total { get; private set; }

        public double Get(int rank) => _values[rank];

        public void Add(int rank, double delta)
        {
            _values[rank] += delta;
            Total += delta;
        }
    }
}
