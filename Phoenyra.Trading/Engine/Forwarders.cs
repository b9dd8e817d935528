using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading.Engine;

/// <summary>Reference prices from any source (demo, CSV replay, venue) reach their market's loop.</summary>
internal sealed class ReferencePriceForwarder(Exchange exchange, TradingMetrics metrics, ILogger<ReferencePriceForwarder> logger) : IEventHandler<ReferencePriceUpdated>
{
    private string? _lastRefusal;

    /// <summary>A price outside the market's band (a feed's <c>1e20</c>) never reaches the book: it is counted, and logged when the source or market refused changes.</summary>
    public ValueTask Handle(ReferencePriceUpdated @event, CancellationToken cancellationToken)
    {
        if (!exchange.TryGet(@event.Market, out var engine)) return ValueTask.CompletedTask;
        if (@event.Price >= engine.Spec.MinPrice && @event.Price <= engine.Spec.MaxPrice)
        {
            engine.SetReference(@event.Price);
            return ValueTask.CompletedTask;
        }
        metrics.ReferencePricesRefused.Add(1, new KeyValuePair<string, object?>("market", @event.Market));
        if (Interlocked.Exchange(ref _lastRefusal, $"{@event.Source}/{@event.Market}") != $"{@event.Source}/{@event.Market}")
            logger.LogWarning("Reference price {Price} for {Market} from {Source} is outside {Min}..{Max}; ignored", @event.Price, @event.Market, @event.Source, engine.Spec.MinPrice, engine.Spec.MaxPrice);
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
