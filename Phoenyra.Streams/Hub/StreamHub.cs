using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Hub;

/// <summary>
/// Turns engine events from the bus into the two signed streams: <c>market</c> (marks, EMA, VWAP,
/// book top, trades) for everyone, and <c>orders</c> (order updates and fills) per account. It reads
/// bounded bus feeds, so neither it nor any client can slow an engine. It admits connections within
/// the per-key and total limits, and closes a key's connections when the key is revoked.
/// </summary>
internal sealed class StreamHub(IBus bus, StreamMetrics metrics, IOptions<StreamOptions> options, TimeProvider time, ILogger<StreamHub> logger) : BackgroundService
{
    public const string MarketStream = "market";
    public const string OrdersStream = "orders";

    private readonly ConcurrentDictionary<string, StreamChannel> _accounts = new(StringComparer.Ordinal);
    private readonly StreamChannel _market = new(MarketStream, options.Value.RetainEvents, metrics, time, options.Value.ReplayLimit);
    private readonly ConcurrentDictionary<StreamConnection, byte> _open = new();
    private readonly ConcurrentDictionary<string, int> _perKey = new(StringComparer.Ordinal);
    private readonly Lock _admission = new();
    private int _total;

    /// <summary>Identifies this server run; a client resuming with a seq from another run is told so.</summary>
    public long Epoch { get; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    public StreamChannel Market => _market;

    public StreamChannel Orders(string account) =>
        _accounts.TryGetValue(account, out var channel) ? channel : _accounts.GetOrAdd(account, static (a, hub) => hub.NewOrdersChannel(a), this);

    private StreamChannel NewOrdersChannel(string account) =>
        new($"{OrdersStream}:{account}", options.Value.RetainEvents, metrics, time, options.Value.ReplayLimit);

    /// <summary>Counts a connection of <paramref name="keyId"/> in, or says why not: (429, …) over the key's limit, (503, …) over the server's.</summary>
    public (int Status, string Reason)? Admit(string keyId)
    {
        lock (_admission)
        {
            var limits = options.Value;
            if (_total >= limits.MaxConnections)
                return Refuse("server_limit", 503, $"the desk already serves {limits.MaxConnections} stream connections; try again later");
            var mine = _perKey.GetValueOrDefault(keyId);
            if (mine >= limits.MaxConnectionsPerKey)
                return Refuse("key_limit", 429, $"key '{keyId}' already has {mine} open stream connections (limit {limits.MaxConnectionsPerKey}); close one first");
            _perKey[keyId] = mine + 1;
            _total++;
            return null;
        }
    }

    /// <summary>An admitted connection is open: revoking its key closes it.</summary>
    public void Track(StreamConnection connection) => _open[connection] = 0;

    /// <summary>An admitted connection of <paramref name="keyId"/> ended (opened or not).</summary>
    public void Release(string keyId, StreamConnection? connection)
    {
        if (connection is not null) _open.TryRemove(connection, out _);
        lock (_admission)
        {
            _total--;
            var left = _perKey.GetValueOrDefault(keyId) - 1;
            if (left <= 0) _perKey.TryRemove(keyId, out _);
            else _perKey[keyId] = left;
        }
    }

    private (int, string) Refuse(string code, int status, string reason)
    {
        metrics.Refused.Add(1, new KeyValuePair<string, object?>("reason", code));
        return (status, reason);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Pump<MarkUpdated>(m => _market.Append(seq => StreamPayloads.Mark(seq, m)), stoppingToken),
        Pump<TradeExecuted>(e => OnTrade(e.Trade), stoppingToken),
        Pump<OrderUpdated>(e => OnOrder(e.Order), stoppingToken),
        Pump<ApiKeyRevoked>(e => CloseFor(e.KeyId), stoppingToken));

    private void CloseFor(string keyId)
    {
        foreach (var connection in _open.Keys.Where(c => c.KeyId == keyId))
            connection.Drop("key_revoked", "the API key was revoked");
    }

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
                while (feed.Reader.TryRead(out var e))
                {
                    try
                    {
                        handle(e);
                    }
                    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
                    {
                        // One bad value (e.g. beyond what canonical JSON can carry) skips that message; the streams go on.
                        metrics.EventErrors.Add(1, new KeyValuePair<string, object?>("event", typeof(TEvent).Name));
                        logger.LogError(ex, "Skipped a {Event} that cannot be streamed: {Problem}", typeof(TEvent).Name, ex.Message);
                    }
                }
        }
        catch (OperationCanceledException) { }
    }
}
