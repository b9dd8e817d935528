using Microsoft.Playwright;

namespace Phoenyra.Browser.Tests;

/// <summary>The desk kill switch on the Ops page: an admin halts with a reason and a confirmation; traders see the desk halted; resume is separate.</summary>
public sealed class DeskHaltTests(BrowserFixture fixture) : BrowserTest(fixture), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task AnAdminHaltsTheDesk_TheTicketSaysSo_AndResumingIsItsOwnAction()
    {
        var (ops, errors) = await Fixture.Open("/ops", key: BrowserFixture.AdminKey);
        await ops.Locator("[data-testid=desk-reason]").FillAsync("drill");
        await ops.GetByTestId("desk-halt").ClickAsync();
        await ops.Locator(".rz-dialog").GetByRole(AriaRole.Button, new() { Name = "Halt", Exact = true }).ClickAsync();
        await Assertions.Expect(ops.GetByTestId("desk-state")).ToContainTextAsync("HALTED", new() { Timeout = 10_000 });
        await Assertions.Expect(ops.GetByTestId("desk-state")).ToContainTextAsync("browser-admin");

        var (trading, _) = await Fixture.Open("/trading");
        await Assertions.Expect(trading.GetByTestId("order-guard-state")).ToContainTextAsync("trading halted by desk");
        await Assertions.Expect(trading.GetByTestId("order-submit")).ToBeDisabledAsync();

        await ops.Locator("[data-testid=desk-reason]").FillAsync("drill over");
        await ops.GetByTestId("desk-resume").ClickAsync();
        await Assertions.Expect(ops.GetByTestId("desk-state")).ToContainTextAsync("running", new() { Timeout = 10_000 });
        var (viewer, _) = await Fixture.Open("/ops", key: BrowserFixture.ViewerKey);
        await Assertions.Expect(viewer.GetByTestId("desk-halt")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }
}
