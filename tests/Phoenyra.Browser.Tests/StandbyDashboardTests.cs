using System.Net.Http.Json;
using Microsoft.Playwright;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Browser.Tests;

/// <summary>
/// The dashboard of a cluster's standby, on a phone in the light theme, for a viewer and a trader: a strip under
/// the header says it stands by and which desk leads (with a link there), the order ticket and the cancel buttons
/// are gone, and the orders it lists are the leader's, followed from the journal.
/// </summary>
public sealed class StandbyDashboardTests(StandbyDashboardTests.TwoDesks fixture) : BrowserTest(fixture), IClassFixture<StandbyDashboardTests.TwoDesks>
{
    /// <summary>node-a leads on a PostgreSQL store; the fixture's desk is node-b, its standby.</summary>
    public sealed class TwoDesks : BrowserFixture
    {
        private readonly string _store = PostgresServer.Shared.CreateDatabase();

        public DeskProcess Leader { get; } = new();

        public override async Task InitializeAsync()
        {
            Leader.InCluster("node-a", _store).Environment["API_KEY"] = TraderKey;
            Leader.AddKey("browser-viewer", "viewer", ViewerKey).AddKey("browser-admin", "admin", AdminKey);
            Desk.InCluster("node-b", _store);
            await Leader.Start();
            await Leader.WaitUntilLeader(TimeSpan.FromSeconds(20));
            using var http = Leader.Client(TraderKey);
            (await http.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 1, price = 12.34, tif = "gtc" })).EnsureSuccessStatusCode();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Leader.DisposeAsync();
        }
    }

    private TwoDesks Desks => (TwoDesks)Fixture;

    [Theory]
    [InlineData("viewer")]
    [InlineData("trader")]
    public async Task OnAPhoneInTheLightTheme_TheStandbySaysWhoLeads_ListsTheLeadersOrders_AndOffersNoOrderEntry(string role)
    {
        var (page, errors) = await Fixture.Open("/trading", 390, 844, role == "viewer" ? BrowserFixture.ViewerKey : BrowserFixture.TraderKey);
        await page.EvaluateAsync("() => phoenyra.theme.set('light')");

        await Assertions.Expect(page.GetByTestId("standby-banner")).ToContainTextAsync("STANDBY");
        await Assertions.Expect(page.GetByTestId("standby-leader")).ToHaveTextAsync("— leader is node-a");
        await Assertions.Expect(page.GetByTestId("standby-leader-link")).ToHaveAttributeAsync("href", Desks.Leader.BaseUrl);
        await Assertions.Expect(page.GetByTestId("order-price-cell").Or(page.GetByTestId("order-cards")).First).ToContainTextAsync("12.34");
        await Assertions.Expect(page.GetByTestId("standby-note")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=order-entry], [data-testid^=cancel-]").CountAsync());
        await Fits(page, $"standby-trading-{role}-390-light.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EveryPageOfTheStandby_SaysSo_AndOpensWithoutAnError()
    {
        var (page, errors) = await Fixture.Open("/", key: BrowserFixture.AdminKey);
        foreach (var path in new[] { "/", "/trading", "/bess", "/hedge-grid", "/flash-arb", "/ops" })
        {
            await page.GotoAsync(Fixture.Desk.BaseUrl + path);
            await page.WaitForFunctionAsync("() => document.documentElement.dataset.connection === 'online'", null, new() { Timeout = 20_000 });
            await Assertions.Expect(page.GetByTestId("standby-banner")).ToContainTextAsync("leader is node-a");
        }
        await Assertions.Expect(page.GetByTestId("desk-halt")).ToHaveCountAsync(0); // /ops: an admin's controls are on the leader
        await Assertions.Expect(page.GetByTestId("store-location")).ToContainTextAsync("PostgreSQL at postgresql://127.0.0.1:");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDir, "standby-ops-admin-1440.png"), FullPage = true });
        Assert.Empty(errors);
    }
}
