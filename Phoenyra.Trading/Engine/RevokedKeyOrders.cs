using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Engine;

/// <summary>
/// Cancels a revoked key's resting orders when its revoke asked for it. Subscribes when built and
/// starts reading after the exchange has replayed the journal, so a request announced at start
/// meets the orders the journal restored. Each cancel is an admin override, audited once per request.
/// </summary>
internal sealed class RevokedKeyOrders : BackgroundService
{
    private readonly IBus _bus;
    private readonly IAuditLog _audit;
    private readonly ILogger<RevokedKeyOrders> _logger;
    private readonly ILeadership _leadership;
    private readonly IEventSubscription<KeyOrdersCancelRequested> _requests;

    public RevokedKeyOrders(IBus bus, IAuditLog audit, ILeadership leadership, ILogger<RevokedKeyOrders> logger)
    {
        (_bus, _audit, _leadership, _logger) = (bus, audit, leadership, logger);
        _requests = bus.Subscribe<KeyOrdersCancelRequested>(capacity: 1024);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _leadership.Elected.WaitAsync(stoppingToken); // a standby's requests wait for it to lead (the orders are the leader's)
            while (await _requests.Reader.WaitToReadAsync(stoppingToken))
                while (_requests.Reader.TryRead(out var request))
                    await Cancel(request, stoppingToken);
        }
        catch (OperationCanceledException) { }
    }

    private async Task Cancel(KeyOrdersCancelRequested request, CancellationToken cancellationToken)
    {
        var open = await _bus.Send(new GetOpenOrders(request.KeyId), cancellationToken);
        if (open.Count == 0) return;
        var cancelled = new List<long>();
        foreach (var order in open)
            if ((await _bus.Send(new CancelOrder(order.Id, request.KeyId, Override: true), cancellationToken)).Status == OrderStatus.Cancelled)
                cancelled.Add(order.Id);
        _logger.LogWarning("Cancelled {Count} resting orders of revoked key {KeyId} ({Actor})", cancelled.Count, request.KeyId, request.Actor);
        await _audit.Record( request.Actor, "key.cancel_orders", new { id = request.KeyId, open = open.Count },
            new { id = request.KeyId, cancelled = cancelled.Count, orders = cancelled }, cancelled.Count == open.Count ? "ok" : "partial: some orders had already gone");
    }

    public override void Dispose()
    {
        _requests.Dispose();
        base.Dispose();
    }
}
