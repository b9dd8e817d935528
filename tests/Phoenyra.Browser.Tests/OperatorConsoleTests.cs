using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The operator console on the Ops page: an admin switches the trading state, manages keys, reloads the policy and reads the audit log; a viewer gets none of it.</summary>
public sealed class OperatorConsoleTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    private static ILocator Dialog(IPage page, string button) => page.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = button, Exact = true });

    [Fact]
    public async Task AnAdmin_SwitchesTheTradingState_ManagesKeys_ReloadsThePolicy_AndReadsTheAuditLog()
    {
        var (ops, errors) = await Fixture.Open("/ops", key: BrowserFixture.AdminKey);

        await ops.Locator("[data-testid=state-reason]").FillAsync("maintenance window");
        await ops.GetByTestId("state-set-reducing").ClickAsync();
        await Dialog(ops, "Switch").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("state-current")).ToHaveTextAsync("reducing", new() { Timeout = 10_000 });
        await Assertions.Expect(ops.GetByTestId("state-restrictions")).ToContainTextAsync("maintenance window");
        await ops.Locator("[data-testid=state-reason]").FillAsync("window over");
        await ops.GetByTestId("state-set-active").ClickAsync();
        await Dialog(ops, "Switch").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("state-current")).ToHaveTextAsync("active", new() { Timeout = 10_000 });

        await ops.Locator("[data-testid=key-id]").FillAsync("console-bot");
        await ops.GetByTestId("key-create").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("key-secret")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^pho_"), new() { Timeout = 10_000 });
        var row = ops.Locator("[data-testid=key-row][data-key-id=console-bot]");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await ops.GetByTestId("key-revoke-cancel-orders").ClickAsync();
        await row.GetByTestId("key-revoke").ClickAsync();
        await Assertions.Expect(ops.Locator(".rz-dialog")).ToContainTextAsync("Its resting orders are cancelled.");
        await Dialog(ops, "Revoke").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        await ops.GetByTestId("policy-reload").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("policy-reload-result")).ToContainTextAsync("in force", new() { Timeout = 10_000 });
        await ops.GetByTestId("policy-compare").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("policy-panel")).ToContainTextAsync("The two versions are the same.");

        await ops.Locator("[data-testid=audit-action]").FillAsync("key.revoke");
        await ops.GetByTestId("audit-search").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("audit-row").First).ToContainTextAsync("browser-admin", new() { Timeout = 10_000 });
        await Assertions.Expect(ops.GetByTestId("audit-row").First).ToContainTextAsync("console-bot");
        await Assertions.Expect(ops.GetByTestId("audit-row").First).ToContainTextAsync("\"cancel_orders\":true");
        await Assertions.Expect(ops.GetByTestId("alerts-panel")).ToBeVisibleAsync();
        await ops.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "ops-console.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheOverview_ShowsTheDeskAtAGlance_AndNewTradesAndDenials()
    {
        var (home, errors) = await Fixture.Open("/");
        await Assertions.Expect(home.GetByTestId("glance-state")).ToContainTextAsync("active");
        await Assertions.Expect(home.GetByTestId("glance-strategies")).ToContainTextAsync("hedge-grid-1");
        await Assertions.Expect(home.GetByTestId("glance-positions")).ToContainTextAsync("DE-ID-60");
        await Assertions.Expect(home.GetByTestId("glance-bess")).ToContainTextAsync("SoC", new() { Timeout = 10_000 });

        using var trader = new HttpClient { BaseAddress = new Uri(Fixture.Desk.BaseUrl) };
        trader.DefaultRequestHeaders.Add("X-API-Key", BrowserFixture.TraderKey);
        await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(trader, "/api/orders", new { market = "DE-ID-60", side = "buy", type = "market", quantity = 0.5 });
        await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(trader, "/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 60, price = 50 });

        await Assertions.Expect(home.GetByTestId("glance-trade").First).ToContainTextAsync("DE-ID-60", new() { Timeout = 10_000 });
        await Assertions.Expect(home.GetByTestId("glance-denial").First).ToContainTextAsync("max_order_size", new() { Timeout = 10_000 });
        await home.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDir, "overview.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AViewer_SeesNoConsoleControls()
    {
        var (ops, errors) = await Fixture.Open("/ops", key: BrowserFixture.ViewerKey);

        await Assertions.Expect(ops.GetByTestId("console-locked")).ToBeVisibleAsync();
        foreach (var control in new[] { "state-set-halted", "key-create", "policy-reload", "audit-search" })
            await Assertions.Expect(ops.GetByTestId(control)).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
