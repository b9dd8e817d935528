using Phoenyra.Strategies.HedgeGrid;

namespace Phoenyra.Strategies.Tests;

/// <summary>Document 004's throttle: 0 = maximum passive (no grid orders), 1 = the configured grid (most rungs, tightest spacing).</summary>
public sealed class ThrottleTests
{
    private static readonly GridInstrument Fine = new("TEST", 0.01m, 0.00001m, 1m);
    private static readonly GridParameters Ten = new(Levels: 10, MaxInventory: 1_000_000m);

    [Theory]
    [InlineData(1.0, 10, 1.0)]
    [InlineData(0.5, 5, 1.5)]
    [InlineData(0.25, 3, 1.75)]
    [InlineData(0.01, 1, 1.99)]
    public void LowerThrottle_MeansFewerRungs_AndWiderSpacing(decimal throttle, int levels, decimal spacing)
    {
        var shape = Throttle.Shape(throttle, 10);

        Assert.Equal((levels, spacing), (shape.Levels, shape.SpacingFactor));
        var ladder = LadderBuilder.Build(100m, Ten, Fine, throttle);
        Assert.Equal(levels, ladder.Long.Count());
        Assert.Equal(0.25m * spacing, ladder.Step);
    }

    [Fact]
    public void ZeroThrottle_CancelsEveryGridOrder() => Assert.Empty(LadderBuilder.Build(100m, Ten, Fine, 0m).Rungs);

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    public void AThrottleOutsideZeroToOne_IsRefusedWithAReason(decimal throttle)
    {
        Assert.Contains("outside 0..1", Throttle.Problem(throttle));
        Assert.Throws<ArgumentOutOfRangeException>(() => Throttle.Shape(throttle, 5));
    }
}
