using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Hub;

/// <summary>
/// Turns engine events from the bus into the two signed streams: <c>market</c> (marks, EMA, VWAP,
/// book top, trades) for everyone, and <c>orders</c> (order updates and fills) per account. It reads
/// bounded bus feeds, so neither it nor any client can slow an engine.
/// </summary>
internal sealed class StreamHub(IBus bus, StreamSigner signer, StreamMetrics metrics, IOptions<StreamOptions> options, TimeProvider time) : BackgroundService
{
    public const string MarketStream = "market";
    public const string OrdersStream = "orders";

    private readonly ConcurrentDictionary<string, StreamChannel> _accounts = new(StringComparer.Ordinal);
    private readonly StreamChannel _market = new(MarketStream, options.Value.RetainEvents, signer, metrics, time);

    /// <summary>Identifies this server run; a client resuming with a seq from another run is told so.</summary>
    public long Epoch { get; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    public StreamChannel Market => _market;

    public StreamChannel Orders(string account) =>
        _accounts.GetOrAdd(account, a => new StreamChannel($"{OrdersStream}:{a}", options.Value.RetainEvents, signer, metrics, time));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Pump<MarkUpdated>(m => _market.Append(seq => StreamPayloads.Mark(seq, m)), stoppingToken),
        Pump<TradeExecuted>(e => OnTrade(e.Trade), stoppingToken),
        Pump<OrderUpdated>(e => OnOrder(e.Order), stoppingToken));

    private void OnTrade(Trade trade)
    {
        _market.Append(seq => StreamPayloads.Trade(seq, trade));
        if (!trade.MakerIsSimulated) Orders(trade.MakerAccount).Append(seq => StreamPayloads.Fill(seq, trade, maker: true));
        if (!trade.TakerIsSimulated) Orders(trade.TakerAccount).Append(seq => StreamPayloads.Fill(seq, trade, maker: false));
    }

    // The engine publishes order updates for real orders only (simulated quotes are not orders).
    private void OnOrder(OrderView order) => Orders(order.Account).Append(seq => StreamPayloads.Order(seq, order));

    private async Task Pump<TEvent>(Action<TEvent> handle, CancellationToken stop) where TEvent : IEvent
    {
        using var feed = bus.Subscribe<TEvent>(capacity: 65_536);
        try
        {
            while (await feed.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
                while (feed.Reader.TryRead(out var e)) handle(e);
        }
        catch (OperationCanceledException) { }
    }
}
