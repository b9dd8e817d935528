using Phoenyra.Web.Components.Ops;

namespace Phoenyra.Web.Components.Tests;

public sealed class LineDiffTests
{
    [Fact]
    public void TheDiffOfTwoPolicies_KeepsCommonLines_AndMarksWhatChanged()
    {
        var before = "version: 1\ntrading_state: active\ndefaults:\n  max_order_mw: 50";
        var after = "version: 1\ntrading_state: reducing\ndefaults:\n  max_order_mw: 50\n  max_open_orders: 10";

        var diff = LineDiff.Of(before, after);

        Assert.Equal(
            [new(' ', "version: 1"), new('-', "trading_state: active"), new('+', "trading_state: reducing"), new(' ', "defaults:"), new(' ', "  max_order_mw: 50"), new('+', "  max_open_orders: 10")],
            diff.ToArray());
    }
}
