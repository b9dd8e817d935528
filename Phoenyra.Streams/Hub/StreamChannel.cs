namespace Phoenyra.Streams.Hub;

/// <summary>
/// One stream (the market stream, or one account's orders): numbers events, keeps the recent ones
/// for resuming clients, and offers each to the attached connections. Appends and attaches share a
/// lock, so a resuming client gets every event exactly once, in order; nothing is signed under it
/// (each connection signs on its own send loop).
/// </summary>
internal sealed class StreamChannel(string name, int retain, StreamMetrics metrics, TimeProvider time, int replayLimit = int.MaxValue)
{
    private readonly Lock _gate = new();
    private readonly Queue<StreamEvent> _recent = new();
    private StreamConnection[] _connections = [];
    private long _seq;

    public string Name { get; } = name;

    public long LastSeq { get { lock (_gate) return _seq; } }

    /// <summary>Numbers the event and fans it out; its data is built with that number when first needed.</summary>
    public void Append(Func<long, byte[]> data)
    {
        lock (_gate)
        {
            var ev = new StreamEvent(++_seq, time.GetUtcNow().ToUnixTimeMilliseconds(), data);
            if (retain > 0)
            {
                if (_recent.Count == retain) _recent.Dequeue();
                _recent.Enqueue(ev);
            }
            if (_connections.Length == 0) return;
            _ = ev.Data; // built here, once: data that cannot be encoded throws to the hub, which counts and logs it
            foreach (var connection in _connections) connection.Offer(ev);
        }
    }

    /// <summary>
    /// Attaches a connection. With <paramref name="since"/> (the last seq the client saw) it first
    /// re-sends the retained events after it (at most the replay limit, the newest), signed afresh by
    /// the connection's own send loop; if some are not re-sent, or the sequence belongs to an earlier
    /// server run, a signed <c>gap</c> message says which.
    /// </summary>
    public void Attach(StreamConnection connection, long? since, bool sameEpoch)
    {
        var replayed = 0;
        lock (_gate)
        {
            if (since is { } last)
            {
                var known = sameEpoch && last <= _seq;
                var from = known ? last : 0;
                var missed = _recent.Where(e => e.Seq > from).ToList();
                if (missed.Count > replayLimit) missed = missed[^replayLimit..];
                var next = missed.Count > 0 ? missed[0].Seq : _seq + 1;
                if (!known) connection.Control(StreamPayloads.Gap(Name, next, "the sequence is from another server run; resync from REST"));
                else if (from + 1 < next) connection.Control(StreamPayloads.Gap(Name, next, $"events {from + 1}..{next - 1} are not re-sent (no longer retained, or more than {replayLimit} missed); resync from REST"));
                foreach (var ev in missed) connection.Resend(ev);
                replayed = missed.Count;
            }
            _connections = [.. _connections, connection];
        }
        metrics.Replayed.Add(replayed, new KeyValuePair<string, object?>("stream", connection.Stream));
    }

    public void Detach(StreamConnection connection)
    {
        lock (_gate) _connections = _connections.Where(c => c != connection).ToArray();
    }
}
