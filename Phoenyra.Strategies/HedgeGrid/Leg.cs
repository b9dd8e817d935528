namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// One hedge-mode inventory (long or short), kept apart from the other even though the venue nets:
/// quantity in MW, average entry in EUR/MWh, realized PnL in EUR (× product hours).
/// </summary>
internal sealed class Leg(GridSide side, decimal productHours)
{
    public GridSide Side { get; } = side;
    public decimal Quantity { get; private set; }
    public decimal AveragePrice { get; private set; }
    public decimal Realized { get; private set; }

    public void Open(decimal price, decimal quantity)
    {
        AveragePrice = Quantity + quantity == 0 ? 0 : (AveragePrice * Quantity + price * quantity) / (Quantity + quantity);
        Quantity += quantity;
    }

    /// <summary>Closes up to <paramref name="quantity"/> at <paramref name="price"/>; returns what it closed.</summary>
    public decimal Close(decimal price, decimal quantity)
    {
        var closing = Math.Min(quantity, Quantity);
        Realized += PnlPerMw(price) * closing * productHours;
        Quantity -= closing;
        if (Quantity == 0) AveragePrice = 0;
        return closing;
    }

    public decimal Unrealized(decimal? mid) => mid is { } m && Quantity > 0 ? PnlPerMw(m) * Quantity * productHours : 0;

    /// <summary>The inventory's value at <paramref name="mid"/> (the seed's <c>inventory_usdt</c>), EUR.</summary>
    public decimal Inventory(decimal? mid) => Quantity * Math.Abs(mid ?? AveragePrice) * productHours;

    private decimal PnlPerMw(decimal price) => Side == GridSide.Long ? price - AveragePrice : AveragePrice - price;
}
