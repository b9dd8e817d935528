using Bunit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Security;
using Phoenyra.Web.Components.Account;
using Phoenyra.Web.Components.Trading;

namespace Phoenyra.Web.Components.Tests;

/// <summary>The order ticket's own logic: the engine's field rules as the trader types, and the guards in force.</summary>
public sealed class OrderEntryTests : DeskComponentTest
{
    private IRenderedComponent<OrderEntry> Ticket() =>
        Render<OrderEntry>(p => p.Add(c => c.Market, "DE-ID-15").Add(c => c.Operator, new Operator("test-trader", Role.Trader)));

    // Find and change on the renderer's thread: the ticket re-renders on live data, which would retire a handler found earlier.
    private static Task Type(IRenderedComponent<OrderEntry> ticket, string input, string value) =>
        ticket.InvokeAsync(() => ticket.Find($"input[name={input}]").Change(value));

    private static TradingGuardChanged SocLow(bool active) =>
        new("bess", "soc-low", active, active ? OrderSide.Sell : null, 1.0, active ? "SoC 12 % is below 15 %" : "soc-low cleared", DateTimeOffset.UtcNow);

    [Fact]
    public async Task AQuantityOffTheLot_IsFlaggedAsTyped_AndTheButtonStaysDisabled()
    {
        var ticket = Ticket();

        await Type(ticket, "order-quantity", "0.05");

        Assert.Contains("multiple of the lot, 0.1 MW", ticket.Find("[data-testid=error-quantity]").TextContent);
        Assert.True(ticket.Find("[data-testid=order-submit]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("order-quantity", "10000000000000000000", "quantity", "at most 1,000,000 MW")]
    [InlineData("order-price", "10000000000000000000", "price", "must be within")]
    [InlineData("order-price", "-10000000000000000000", "price", "must be within")]
    public async Task AnOverflowingNumber_IsAFieldError_NotABrokenCircuit(string input, string value, string field, string reason)
    {
        var ticket = Ticket();

        await Type(ticket, input, value);

        Assert.Contains(reason, ticket.Find($"[data-testid=error-{field}]").TextContent);
        Assert.True(ticket.Find("[data-testid=order-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task AValidQuantityAndPrice_EnableTheButton()
    {
        var ticket = Ticket();

        await Type(ticket, "order-quantity", "1.5");
        await Type(ticket, "order-price", "80.25");

        Assert.Empty(ticket.FindAll(".pho-field-error"));
        Assert.False(ticket.Find("[data-testid=order-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task ASellGuard_MarksTheSideBlocked_WithTheGuardsOwnSentence_UntilItIsReleased()
    {
        var ticket = Ticket();

        await Bus.Publish(SocLow(active: true));
        ticket.WaitForAssertion(() => Assert.EndsWith("SELL blocked by bess: SoC 12 % is below 15 %", ticket.Find("[data-testid=order-guard-sell]").TextContent.Trim()));
        Assert.Contains("Sell (blocked)", ticket.Markup);

        await Bus.Publish(SocLow(active: false));
        ticket.WaitForAssertion(() => Assert.Empty(ticket.FindAll("[data-testid=order-guard-sell]")));
        Assert.DoesNotContain("(blocked)", ticket.Markup);
    }

    [Fact]
    public async Task AQuantityTheBatteryCannotTake_IsFlaggedBeforeSending_WithTheEnvelopesWords()
    {
        var ticket = Ticket();
        var next = DateTimeOffset.UtcNow.AddMinutes(5);
        await Bus.Publish(new SocEnvelopeChanged("DE-ID-15", ["*"], 5, 95,
            [new EnvelopePeriod(next, next.AddMinutes(15), MaxBuyMw: 0.3m, MaxSellMw: 5m, SellMwhPerMw: 0.26, BuyMwhPerMw: 0.24, AvailableDischargeMwh: 4.5, AvailableChargeMwh: 0.07)], DateTimeOffset.UtcNow));

        await Type(ticket, "order-quantity", "1");
        await Type(ticket, "order-price", "80.25");

        Assert.Contains("buying 1 MW in", ticket.Find("[data-testid=error-quantity]").TextContent);
        Assert.Contains("(infeasible_soc)", ticket.Find("[data-testid=error-quantity]").TextContent);
        Assert.True(ticket.Find("[data-testid=order-submit]").HasAttribute("disabled"));

        await Type(ticket, "order-quantity", "0.3");
        Assert.Empty(ticket.FindAll(".pho-field-error"));
    }
}
