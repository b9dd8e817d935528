namespace Phoenyra.Bess.Imbalance;

/// <summary>
/// One period's imbalance: the metered energy against the committed schedule (+ discharge / sold),
/// settled at the imbalance price. A surplus (long: more delivered than sold, or less charged than
/// bought) is paid at the surplus price; a shortfall (short) is bought at the shortfall price. With
/// Germany's single reBAP both prices are the same. Cost is what the desk pays (negative: earns).
/// </summary>
public static class ImbalanceSettlement
{
    public static (double DeviationMwh, double CostEur) Settle(double committedMw, double meteredMwh, double stepHours, double surplusPrice, double shortfallPrice)
    {
        var deviation = meteredMwh - committedMw * stepHours;
        return (deviation, -deviation * (deviation >= 0 ? surplusPrice : shortfallPrice));
    }
}
