using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>Reference prices from any source (demo, CSV replay, venue) reach their market's loop.</summary>
internal sealed class ReferencePriceForwarder(Exchange exchange) : IEventHandler<ReferencePriceUpdated>
{
    public ValueTask Handle(ReferencePriceUpdated @event, CancellationToken cancellationToken)
    {
        if (exchange.TryGet(@event.Market, out var engine)) engine.SetReference(@event.Price);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Guards published by other modules (BESS) become part of every risk check.</summary>
internal sealed class GuardForwarder(RiskEngine risk, ILogger<GuardForwarder> logger) : IEventHandler<TradingGuardChanged>
{
    public ValueTask Handle(TradingGuardChanged @event, CancellationToken cancellationToken)
    {
        risk.Apply(@event);
        logger.LogInformation("Trading guard {Source}/{Name} {State}: {Reason}", @event.Source, @event.Name, @event.Active ? "ON" : "off", @event.Reason);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The battery's feasibility envelope (BESS module) becomes part of every risk check.</summary>
internal sealed class EnvelopeForwarder(RiskEngine risk, Core.Security.ReservedAccounts reserved) : IEventHandler<SocEnvelopeChanged>
{
    public ValueTask Handle(SocEnvelopeChanged @event, CancellationToken cancellationToken)
    {
        risk.Apply(@event, reserved.IsDesksOwn);
        return ValueTask.CompletedTask;
    }
}
