using Phoenyra.Strategies.HedgeGrid;

namespace Phoenyra.Strategies.Tests;

/// <summary>The worked cases of the original's test suite (issue 11), on a fine lot so its quantities survive rounding.</summary>
public sealed class LadderTests
{
    private static readonly GridParameters Worked = new(GridStepBps: 25m, Levels: 5, BaseQty: 0.1m, QtyScale: 1.2m, TpSteps: 2, SlSteps: 3, MaxInventory: 1_000_000m);
    private static readonly GridInstrument Fine = new("TEST", Tick: 0.01m, Lot: 0.00001m, ProductHours: 1m);

    [Fact]
    public void LongRungs_StepDownFromTheCentre_WithScaledQuantities_AndTheirTakeProfitAndStopLoss()
    {
        var ladder = LadderBuilder.Build(100m, Worked, Fine);

        Assert.Null(ladder.Refusal);
        Assert.Equal(0.25m, ladder.Step);
        var longs = ladder.Long.ToList();
        Assert.Equal(new Rung(GridSide.Long, 1, 99.75m, 0.1m, 100.25m, 99.00m), longs[0]);
        Assert.Equal(new Rung(GridSide.Long, 2, 99.50m, 0.12m, 100.00m, 98.75m), longs[1]);
        Assert.Equal((98.75m, 0.20736m), (longs[4].Price, longs[4].Quantity));
        Assert.Equal(5, longs.Count);
    }

    [Fact]
    public void ShortRungs_MirrorTheLongs()
    {
        var first = LadderBuilder.Build(100m, Worked, Fine).Short.First();

        Assert.Equal(new Rung(GridSide.Short, 1, 100.25m, 0.1m, 99.75m, 101.00m), first);
    }

    [Theory]
    [InlineData(100.5, false)]
    [InlineData(102, true)]
    [InlineData(98, true)]
    [InlineData(99.01, false)]
    public void Recentre_WhenTheMidLeavesTheTriggerBand(decimal mid, bool recentre) =>
        Assert.Equal(recentre, LadderBuilder.NeedsRecentre(mid, 100m, 100m));

    [Theory]
    [InlineData(100.123, 100.12)]
    [InlineData(100.126, 100.13)]
    public void Prices_RoundToTheTick(decimal price, decimal rounded) => Assert.Equal(rounded, LadderBuilder.RoundToTick(price, 0.01m));

    [Fact]
    public void OnAPowerMarket_QuantitiesRoundDownToTheLot()
    {
        var ladder = LadderBuilder.Build(100m, Worked with { BaseQty = 1m }, new GridInstrument("DE-ID-15", 0.01m, 0.1m, 0.25m));

        // 1, 1.2, 1.44, 1.728, 2.0736 MW → lots of 0.1 MW
        Assert.Equal([1.0m, 1.2m, 1.4m, 1.7m, 2.0m], ladder.Long.Select(r => r.Quantity));
    }

    [Fact]
    public void ALadderAboveTheInventoryLimit_IsRefusedWithAReason()
    {
        var ladder = LadderBuilder.Build(100m, Worked with { MaxInventory = 50m }, Fine);

        Assert.Empty(ladder.Rungs);
        Assert.Contains("above max_inventory 50.00 EUR", ladder.Refusal);
    }

    [Fact]
    public void ClientOrderIds_HaveTheOriginalsShape()
    {
        Assert.Equal("HG1-LONG-01-9975-7", GridOrderIds.Entry(GridSide.Long, 1, 9975, 7));
        Assert.Equal("HG1-TP-L01-10025-8", GridOrderIds.TakeProfit(GridSide.Long, 1, 10025, 8));
        Assert.Equal("HG1-SL-S01-10100-9", GridOrderIds.StopLoss(GridSide.Short, 1, 10100, 9));
    }
}
