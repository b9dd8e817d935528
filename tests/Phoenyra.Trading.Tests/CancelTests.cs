using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Tests;

/// <summary>A cancel that loses the race with a fill says what the order came to, so the client's books agree at once.</summary>
public sealed class CancelTests
{
    [Fact]
    public async Task CancellingAFilledOrder_IsAlreadyClosed_WithItsFilledQuantity()
    {
        await using var host = await TradingHost.Start();
        var resting = await host.Limit(OrderSide.Buy, 2m, 80m, account: "alice");
        await host.Limit(OrderSide.Sell, 2m, 80m, account: "bob", tif: TimeInForce.Ioc);

        var cancel = await host.Bus.Send(new CancelOrder(resting.OrderId!.Value, "alice"));

        Assert.Equal((RejectReason.AlreadyClosed, 2m, 2m), (cancel.Reason, cancel.Quantity, cancel.FilledQuantity));
    }
}
