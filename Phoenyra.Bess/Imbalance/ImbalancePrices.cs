using Phoenyra.Core.Prices;

namespace Phoenyra.Bess.Imbalance;

/// <summary>Imbalance prices per period start from a reBAP CSV: the surplus (<c>rebap_pos_eur_mwh</c>) and shortfall (<c>rebap_neg_eur_mwh</c>) price.</summary>
public sealed class ImbalancePrices
{
    private readonly Dictionary<DateTimeOffset, (double Surplus, double Shortfall)> _byStart = new();

    public string Source { get; }

    private ImbalancePrices(string source) => Source = source;

    public static ImbalancePrices None { get; } = new("none");

    public static ImbalancePrices Read(string path)
    {
        var surplus = CsvPriceFile.Read(path, "rebap_pos_eur_mwh");
        var shortfall = CsvPriceFile.Read(path, "rebap_neg_eur_mwh").Points.ToDictionary(p => p.Time, p => (double)p.Price);
        var prices = new ImbalancePrices("reBAP " + Path.GetFileName(path));
        foreach (var point in surplus.Points)
            prices._byStart[point.Time] = ((double)point.Price, shortfall.GetValueOrDefault(point.Time, (double)point.Price));
        return prices;
    }

    public (double Surplus, double Shortfall)? At(DateTimeOffset periodStart) => _byStart.TryGetValue(periodStart, out var p) ? p : null;

    public int Count => _byStart.Count;
}
