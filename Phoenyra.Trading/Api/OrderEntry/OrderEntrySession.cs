using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Trading.Api.OrderEntry;

/// <summary>
/// One order-entry connection. Orders are read and passed to the engines without waiting for the
/// previous one's answer (pipelining), through the same bus, validation, risk checks and journal
/// as REST; answers go out in the order of the requests, each once the journal has it, together
/// with whatever else is ready, in one frame. At most <see cref="OrderEntryOptions.MaxPendingOrders"/> are in flight: beyond that
/// the desk stops reading, so a client that sends without reading cannot grow the desk's memory.
/// A client that does not read is disconnected ("the client is not reading its replies", counted in
/// <c>pho_order_entry_disconnects_total{reason="not_reading"}</c>): when a frame cannot be sent within
/// <see cref="OrderEntryOptions.SendTimeoutSeconds"/>, or more than <see cref="OrderEntryOptions.MaxQueuedNotices"/>
/// notices (fills of resting orders, answers to malformed messages) wait to go out.
/// </summary>
internal sealed class OrderEntrySession(WebSocket socket, string account, bool admin, IBus bus, OrderEntryOptions options, OrderEntryMetrics metrics)
{
    // Answers in request order: each entry is the answer to come (or a notice, already there).
    private readonly Channel<(Task<OrderEntryReply> Reply, bool Slot)> _out = Channel.CreateUnbounded<(Task<OrderEntryReply>, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _slots = new(options.MaxPendingOrders, options.MaxPendingOrders);
    private string? _closeReason;
    private int _queuedNotices;
    private CancellationTokenSource? _ending;

    public long Orders { get; private set; }

    /// <summary>Serves the connection until the client closes it, the key is revoked or the desk stops.</summary>
    public async Task<string> Run(CancellationToken stop)
    {
        using var fills = bus.Subscribe<TradeExecuted>(capacity: 65_536);
        using var revoked = bus.Subscribe<ApiKeyRevoked>(capacity: 16);
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _ending = ending;
        Send(new Notice("hello", $"order entry for {account}", new Dictionary<string, long>
        {
            ["max_pending_orders"] = options.MaxPendingOrders,
            ["max_orders_per_message"] = options.MaxOrdersPerMessage,
            ["max_message_bytes"] = options.MaxMessageBytes,
        }));
        var writer = WriteLoop(ending.Token);
        var fillPump = PumpFills(fills, ending.Token);
        var watch = WatchKey(revoked, ending);
        try
        {
            await ReadLoop(ending.Token);
            // Every order read is answered before the socket closes: wait for the slots to come back.
            for (var i = 0; i < options.MaxPendingOrders; i++) await _slots.WaitAsync(TimeSpan.FromSeconds(10), ending.Token);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { _closeReason ??= "connection lost"; }
        finally
        {
            // Send what is answered (a client that stops reading gets 5 s), then stop the helpers.
            _out.Writer.TryComplete();
            await Quietly(writer.WaitAsync(TimeSpan.FromSeconds(5)));
            await ending.CancelAsync();
            await Quietly(Task.WhenAll(writer, fillPump, watch));
            _sending?.Dispose();
        }
        await Close(_closeReason is null ? WebSocketCloseStatus.NormalClosure : WebSocketCloseStatus.PolicyViolation, _closeReason ?? "bye");
        return _closeReason ?? "closed by the client";
    }

    private async Task ReadLoop(CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxMessageBytes);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (length == options.MaxMessageBytes)
                    {
                        _closeReason = $"message larger than {options.MaxMessageBytes} bytes";
                        await Close(WebSocketCloseStatus.MessageTooBig, _closeReason);
                        return;
                    }
                    received = await socket.ReceiveAsync(buffer.AsMemory(length, options.MaxMessageBytes - length), stop);
                    length += received.Count;
                } while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
                if (received.MessageType == WebSocketMessageType.Close) return;
                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    Send(new InvalidRequest(null, [new("message", "send text frames of JSON orders")]));
                    continue;
                }
                var (requests, error) = OrderEntryRequest.Parse(buffer.AsSpan(0, length), options.MaxOrdersPerMessage);
                if (error is not null) Send(new InvalidRequest(null, [error]));
                foreach (var request in requests)
                {
                    await _slots.WaitAsync(stop);
                    Orders++;
                    _out.Writer.TryWrite((Execute(request), true));
                }
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    /// <summary>One request to its answer; never throws (the answer holds the slot until it is sent).</summary>
    private async Task<OrderEntryReply> Execute(OrderEntryRequest request)
    {
        OrderEntryReply reply;
        try
        {
            reply = request.RefError() is { } refError ? new InvalidRequest(null, [refError]) : (request.Op ?? "submit") switch
            {
                "submit" => await Submit(request),
                "cancel" => request.Id is { } id
                    ? new OrderAnswer(request.Ref, "cancel", await bus.Send(new CancelOrder(id, account, Override: admin)))
                    : new InvalidRequest(request.Ref, [new("id", "is required to cancel")]),
                _ => new InvalidRequest(request.Ref, [new("op", "must be submit or cancel")]),
            };
        }
        catch (CommandValidationException ex) { reply = new InvalidRequest(request.Ref, ex.Errors); }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            reply = new InvalidRequest(request.Ref, [new("op", $"could not be carried out: {ex.Message}")]);
        }
        metrics.Orders.Add(1);
        return reply;
    }

    private async Task<OrderEntryReply> Submit(OrderEntryRequest request)
    {
        var (order, errors) = request.AsOrder().ToCommand(account);
        return order is null ? new InvalidRequest(request.Ref, errors) : new OrderAnswer(request.Ref, "submit", await bus.Send(order));
    }

    private void Send(OrderEntryReply reply)
    {
        if (Interlocked.Increment(ref _queuedNotices) > options.MaxQueuedNotices) NotReading();
        else _out.Writer.TryWrite((Task.FromResult(reply), false));
    }

    private void NotReading()
    {
        if (Interlocked.CompareExchange(ref _closeReason, "the client is not reading its replies", null) is not null) return;
        metrics.Disconnects.Add(1, new KeyValuePair<string, object?>("reason", "not_reading"));
        _ending?.Cancel();
    }

    private async Task WriteLoop(CancellationToken stop)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        var reader = _out.Reader;
        while (await reader.WaitToReadAsync(stop))
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            json.WriteStartArray();
            var slots = 0;
            // In order: wait for the oldest answer only when nothing is ready to go before it.
            for (var n = 0; n < 1000 && reader.TryPeek(out var item); n++)
            {
                if (!item.Reply.IsCompleted && n > 0) break;
                var reply = await item.Reply;
                reader.TryRead(out _);
                reply.Write(json);
                if (item.Slot) slots++;
                else Interlocked.Decrement(ref _queuedNotices);
            }
            json.WriteEndArray();
            await json.FlushAsync(stop);
            if (!await SendFrame(buffer.WrittenMemory, stop)) return;
            metrics.Frames.Add(1);
            if (slots > 0) _slots.Release(slots);
        }
    }

    private CancellationTokenSource? _sending;

    /// <summary>Sends one frame within the send timeout; false (the socket aborted) when the client did not take it in time.</summary>
    private async Task<bool> SendFrame(ReadOnlyMemory<byte> frame, CancellationToken stop)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return true;
        if (_sending is null || !_sending.TryReset())
        {
            _sending?.Dispose();
            _sending = CancellationTokenSource.CreateLinkedTokenSource(stop);
        }
        _sending.CancelAfter(TimeSpan.FromSeconds(options.SendTimeoutSeconds));
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _sending.Token);
            return true;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            NotReading();
            return false;
        }
    }

    private async Task PumpFills(IEventSubscription<TradeExecuted> fills, CancellationToken stop)
    {
        long dropped = 0;
        try
        {
            while (await fills.Reader.WaitToReadAsync(stop))
            {
                while (fills.Reader.TryRead(out var e))
                    if (e.Trade.MakerAccount == account && !e.Trade.MakerIsSimulated) Send(new RestingFill(e.Trade));
                if (fills.Dropped > dropped)
                {
                    Send(new Notice("fills_dropped", "some fills of resting orders were not sent (the connection fell behind); GET /api/trades?account=… has them all",
                        new Dictionary<string, long> { ["dropped"] = fills.Dropped - dropped }));
                    dropped = fills.Dropped;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task WatchKey(IEventSubscription<ApiKeyRevoked> revoked, CancellationTokenSource ending)
    {
        try
        {
            while (await revoked.Reader.WaitToReadAsync(ending.Token))
                while (revoked.Reader.TryRead(out var e))
                    if (e.KeyId == account)
                    {
                        _closeReason = "the API key was revoked";
                        await ending.CancelAsync();
                        return;
                    }
        }
        catch (OperationCanceledException) { }
    }

    private static async Task Quietly(Task task)
    {
        try { await task; }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or WebSocketException) { }
    }

    private async Task Close(WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await socket.CloseOutputAsync(status, reason, timeout.Token); }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { }
    }
}
