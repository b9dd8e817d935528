using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Hub;

/// <summary>
/// One client socket. Frames wait in a queue drained by a single send loop; when more than the
/// limit wait, the client is too slow: it is dropped with close code 1008 and a reason, and the
/// publisher never waits for it. Messages before the live ones (hello, gap, events re-sent to a
/// resuming client) are signed by the send loop, on this connection's time, never under a stream's lock.
/// Every message is signed for this connection: its data ends with
/// <c>"connection":{"stream":…,"account":…,"seq":n}</c> — the stream, the key that opened it and a
/// sequence counting this connection's messages from 1 — inside the signed bytes, so a frame taken
/// from another connection, another stream or out of its order does not verify as this one's
/// (the seeds' verifiers check the signature over the data as before and ignore the field).
/// </summary>
internal sealed class StreamConnection(WebSocket socket, string stream, SignatureAlgorithm algorithm, StreamSigner signer, StreamMetrics metrics, TimeProvider time, int queueLimit, string keyId = "")
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<StreamEvent> _queue = Channel.CreateUnbounded<StreamEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _dropped = new();
    private readonly List<Func<byte[]>> _preamble = [];
    private int _queued;
    private long _messages;
    private byte[]? _binding;
    private readonly ArrayBufferWriter<byte> _bound = new(1024);
    private string? _dropReason;

    public string Stream { get; } = stream;

    /// <summary>The API key that opened the connection; revoking it closes the connection.</summary>
    public string KeyId { get; } = keyId;

    public SignatureAlgorithm Algorithm { get; } = algorithm;

    /// <summary>Why the server closed the connection, if it did.</summary>
    public string? DropReason => Volatile.Read(ref _dropReason);

    /// <summary>A live event; more than the queue limit waiting and the client is dropped instead.</summary>
    public void Offer(StreamEvent ev)
    {
        if (DropReason is not null) return;
        if (Interlocked.Increment(ref _queued) > queueLimit)
        {
            Drop("slow_consumer", $"slow consumer: more than {queueLimit} messages waiting");
            return;
        }
        if (_queue.Writer.TryWrite(ev)) metrics.Messages.Add(1, new KeyValuePair<string, object?>("stream", Stream));
    }

    /// <summary>
    /// An event re-sent to a resuming client before the live ones, signed afresh when it is sent; it
    /// does not count against the slow-consumer limit. Only valid before <see cref="Run"/>.
    /// </summary>
    public void Resend(StreamEvent ev) => _preamble.Add(() => Signed(time.GetUtcNow().ToUnixTimeMilliseconds(), ev.Seq, ev.Data));

    /// <summary>A retained event's data is built when first needed; one that cannot be encoded (see the hub) is skipped, as live.</summary>
    private byte[]? Built(Func<byte[]> message)
    {
        try { return message(); }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            metrics.EventErrors.Add(1, new KeyValuePair<string, object?>("event", "resend"));
            return null;
        }
    }

    /// <summary>A signed message outside the sequence (hello, gap), sent before the live ones. Only valid before <see cref="Run"/>.</summary>
    public void Control(byte[] data) => _preamble.Add(() => Signed(time.GetUtcNow().ToUnixTimeMilliseconds(), null, data));

    /// <summary>The message for this connection: the data bound to it (see the class summary), signed. Only the send loop calls it.</summary>
    private byte[] Signed(long ts, long? seq, byte[] data)
    {
        _binding ??= System.Text.Encoding.ASCII.GetBytes($",\"connection\":{{\"stream\":\"{Stream}\",\"account\":\"{KeyId}\",\"seq\":");
        _bound.ResetWrittenCount();
        _bound.Write(data.AsSpan(0, data.Length - 1)); // the data is a JSON object: its closing brace gives way to the binding
        _bound.Write(_binding);
        System.Buffers.Text.Utf8Formatter.TryFormat(++_messages, _bound.GetSpan(20), out var digits);
        _bound.Advance(digits);
        _bound.Write("}}"u8);
        return signer.Envelope(ts, seq, _bound.WrittenSpan, Algorithm);
    }

    /// <summary>Stops queueing; the send loop closes with <paramref name="reason"/>, or aborts if the client does not read it in time.</summary>
    public void Drop(string reasonCode, string reason)
    {
        if (Interlocked.CompareExchange(ref _dropReason, reason, null) is not null) return;
        metrics.Dropped.Add(1, new KeyValuePair<string, object?>("stream", Stream), new KeyValuePair<string, object?>("reason", reasonCode));
        _queue.Writer.TryComplete();
        _dropped.CancelAfter(CloseTimeout);
    }

    /// <summary>Sends until the client leaves, the server drops it, or <paramref name="stop"/> fires.</summary>
    public async Task Run(CancellationToken stop)
    {
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(stop, _dropped.Token);
        var receive = Receive(sending.Token);
        try
        {
            foreach (var message in _preamble)
            {
                if (DropReason is not null) break;
                if (Built(message) is not { } frame) continue;
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, sending.Token).ConfigureAwait(false);
            }
            _preamble.Clear();
            while (await _queue.Reader.WaitToReadAsync(sending.Token).ConfigureAwait(false))
            {
                while (DropReason is null && _queue.Reader.TryRead(out var ev))
                {
                    await socket.SendAsync(Signed(ev.Ts, ev.Seq, ev.Data), WebSocketMessageType.Text, endOfMessage: true, sending.Token).ConfigureAwait(false);
                    Interlocked.Decrement(ref _queued);
                }
                if (DropReason is not null) break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ChannelClosedException) { }
        await Close(stop.IsCancellationRequested ? "server shutting down" : DropReason).ConfigureAwait(false);
        // Let the client read the close frame and answer it: cancelling the receive aborts the socket,
        // which can reset the connection before the client has read why it was closed.
        if (await Task.WhenAny(receive, Task.Delay(CloseTimeout, time)).ConfigureAwait(false) != receive)
            await sending.CancelAsync().ConfigureAwait(false);
        try { await receive.ConfigureAwait(false); } catch (Exception ex) when (ex is OperationCanceledException or WebSocketException) { }
    }

    private async Task Close(string? reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            var status = reason is null ? WebSocketCloseStatus.NormalClosure
                : DropReason is not null ? WebSocketCloseStatus.PolicyViolation : WebSocketCloseStatus.EndpointUnavailable;
            await socket.CloseOutputAsync(status, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            socket.Abort();
        }
    }

    /// <summary>Reads (and ignores) client frames so pings and the closing handshake are answered.</summary>
    private async Task Receive(CancellationToken stop)
    {
        var buffer = new byte[1024];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, stop).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _queue.Writer.TryComplete();
                return;
            }
        }
    }
}
