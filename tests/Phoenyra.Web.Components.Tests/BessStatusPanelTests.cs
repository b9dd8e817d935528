using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Bess;
using Phoenyra.Web.Components.Bess;

namespace Phoenyra.Web.Components.Tests;

/// <summary>The guard badges: each guard's state as the BESS module decides it, and the SoC gauge coloured at the same thresholds.</summary>
public sealed class BessStatusPanelTests : DeskComponentTest
{
    // Not the default 15 %: the panel must follow the policy, not a number of its own.
    protected override string Policy(string repositoryPolicy) => repositoryPolicy.Replace("soc_low_percent: 15", "soc_low_percent: 20");

    [Fact]
    public async Task ALowSocReading_LightsTheSocLowBadge_AndColoursTheGaugeAsTheGuardDoes()
    {
        var panel = Render<BessStatusPanel>();
        Assert.Equal("false", panel.Find("[data-guard=soc-low]").GetAttribute("data-active"));
        Assert.Equal("none", panel.Find("[data-testid=bess-soc]").GetAttribute("data-soc-zone"));

        var errors = await DeskServices.GetRequiredService<BessDesk>().Override(17, 0, 42.6, "component-test");

        Assert.Empty(errors);
        panel.WaitForAssertion(() => Assert.Equal("true", panel.Find("[data-guard=soc-low]").GetAttribute("data-active")));
        Assert.Contains("SELL blocked", panel.Find("[data-guard=soc-low]").TextContent);
        Assert.Equal("low", panel.Find("[data-testid=bess-soc]").GetAttribute("data-soc-zone")); // below the policy's 20 %, like the guard
        // 42.6 °C is past the 40 °C guard: the card says so, and the guard's row says what it does.
        Assert.Equal("true", panel.Find("[data-testid=bess-temp] .pho-stat-value").GetAttribute("data-alert"));
        Assert.Contains("order submit rate x0.5", panel.Find("[data-guard=temperature-high]").TextContent);
        Assert.Contains("on above 40 °C, off again at 38 °C", panel.Find("[data-guard=temperature-high]").TextContent);
    }

    [Fact]
    public async Task AReadingBetweenTheThresholds_LeavesEveryGuardOff()
    {
        var panel = Render<BessStatusPanel>();

        await DeskServices.GetRequiredService<BessDesk>().Override(50, 0, 25, "component-test");

        panel.WaitForAssertion(() => Assert.Contains("50.0", panel.Find("[data-testid=bess-soc]").TextContent));
        Assert.All(panel.FindAll("[data-guard]"), badge => Assert.Equal("false", badge.GetAttribute("data-active")));
        Assert.Equal("ok", panel.Find("[data-testid=bess-soc]").GetAttribute("data-soc-zone"));
        Assert.Equal("false", panel.Find("[data-testid=bess-temp] .pho-stat-value").GetAttribute("data-alert"));
    }
}
