using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Strategies.Runtime;

/// <summary>Where a strategy's orders go: the desk's bus (every order through the risk engine and the journal), or a backtest's book.</summary>
internal interface IOrderGateway
{
    ValueTask<OrderResult> Submit(SubmitOrder order, CancellationToken ct);

    ValueTask<OrderResult> Cancel(long orderId, CancellationToken ct);
}

/// <summary>The live gateway: commands on the bus under the strategy's account.</summary>
internal sealed class BusGateway(IBus bus, string account) : IOrderGateway
{
    public ValueTask<OrderResult> Submit(SubmitOrder order, CancellationToken ct) => bus.Send(order, ct);

    public ValueTask<OrderResult> Cancel(long orderId, CancellationToken ct) => bus.Send(new CancelOrder(orderId, account), ct);
}
