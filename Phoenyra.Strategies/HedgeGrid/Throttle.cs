namespace Phoenyra.Strategies.HedgeGrid;

/// <summary>
/// The operator's throttle, as document 004 defines it: 0 = maximum passive (fewer rungs, wider
/// spacing), 1 = maximum aggressive (more rungs, tighter spacing). Here: 0 cancels every grid order;
/// above 0 the grid keeps ⌈levels × throttle⌉ rungs a side, spaced (2 − throttle) × the configured
/// step, so 1 is the configuration as written and 0.5 is half the rungs at 1.5 × the step.
/// </summary>
public static class Throttle
{
    public readonly record struct GridShape(int Levels, decimal SpacingFactor);

    /// <summary>Why <paramref name="throttle"/> cannot be used, or null.</summary>
    public static string? Problem(decimal throttle) =>
        throttle is < 0m or > 1m ? $"throttle {throttle} is outside 0..1 (0 = maximum passive, 1 = maximum aggressive)" : null;

    public static GridShape Shape(decimal throttle, int levels)
    {
        if (Problem(throttle) is { } problem) throw new ArgumentOutOfRangeException(nameof(throttle), problem);
        if (throttle == 0) return new GridShape(0, 1m);
        return new GridShape(Math.Max(1, (int)Math.Ceiling(levels * throttle)), 2m - throttle);
    }
}
