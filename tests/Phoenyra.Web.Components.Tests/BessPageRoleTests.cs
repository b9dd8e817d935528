using Bunit;
using Phoenyra.Core.Security;

namespace Phoenyra.Web.Components.Tests;

/// <summary>The optimiser works the desk's cores for seconds: a viewer is told it needs a trader key, a trader gets it.</summary>
public sealed class BessPageRoleTests : DeskComponentTest
{
    [Theory]
    [InlineData(Role.Viewer, false)]
    [InlineData(Role.Trader, true)]
    public void TheOptimiser_IsOfferedToTradersOnly(Role role, bool offered)
    {
        AddAuthorization().SetAuthorized("someone").SetClaims(CallerIdentity.Claims("someone", role));
        // The page's other panels have their own tests; here only the optimiser's gate matters.
        ComponentFactories.AddStub<Phoenyra.Web.Components.Bess.BessStatusPanel>();
        ComponentFactories.AddStub<Phoenyra.Web.Components.Bess.TelemetryChart>();
        ComponentFactories.AddStub<Phoenyra.Web.Components.Bess.TelemetrySliders>();
        ComponentFactories.AddStub<Phoenyra.Web.Components.Bess.AutoTraderPanel>();

        var page = Render<Phoenyra.Web.Components.Pages.Bess>();

        Assert.Equal(offered, page.FindAll("[data-testid=optimiser-panel]").Count == 1);
        Assert.Equal(!offered, page.FindAll("[data-testid=optimiser-locked]").Count == 1);
        if (!offered) Assert.Contains("needs a trader key", page.Find("[data-testid=optimiser-locked]").TextContent);
    }
}
