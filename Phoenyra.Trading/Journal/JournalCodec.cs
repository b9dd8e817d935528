using System.Buffers.Binary;
using System.Text;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Journal;

/// <summary>
/// The journal's compact encoding: a commit's records one after another in blocks (of about 60 KB at most), each a kind
/// byte and its fields in ticks, lots and ids (little-endian integers, length-prefixed UTF-8 text,
/// times as UTC ticks), so replay rebuilds exactly what was committed. About a fifth of the JSON's
/// size, and a row per block instead of one per record.
/// </summary>
internal static class JournalCodec
{
    private const byte Accepted = 1, Fill = 2, Rested = 3, Closed = 4;

    public static void Write(JournalBlockWriter w, JournalRecord record)
    {
        switch (record)
        {
            case OrderAcceptedRecord a:
                w.Byte(Accepted); Header(w, a);
                w.Long(a.Id); w.Text(a.Account); w.Byte((byte)a.Side); w.Byte((byte)a.Type); w.Byte((byte)a.TimeInForce);
                w.OptionalLong(a.Price); w.Long(a.Quantity); w.OptionalText(a.ClientOrderId);
                break;
            case FillRecord f:
                w.Byte(Fill); Header(w, f);
                w.Long(f.TradeId); w.Long(f.MakerId); w.Long(f.TakerId); w.Text(f.MakerAccount); w.Text(f.TakerAccount);
                w.Byte((byte)f.TakerSide); w.Long(f.Price); w.Long(f.Quantity);
                w.Byte((byte)((f.MakerEphemeral ? 1 : 0) | (f.TakerEphemeral ? 2 : 0)));
                break;
            case OrderRestedRecord r:
                w.Byte(Rested); Header(w, r);
                w.Long(r.Id);
                break;
            case OrderClosedRecord c:
                w.Byte(Closed); Header(w, c);
                w.Long(c.Id); w.Int((int)c.Status); w.Int((int)c.Reason);
                break;
            default:
                throw new InvalidOperationException($"No encoding for journal record {record.GetType().Name}");
        }
    }

    private static void Header(JournalBlockWriter w, JournalRecord record)
    {
        w.Text(record.Market);
        w.Long(record.Time.UtcTicks);
    }

    /// <summary>Every record of a block, in order.</summary>
    public static IEnumerable<JournalRecord> Read(byte[] block)
    {
        var offset = 0;
        while (offset < block.Length) yield return ReadOne(block, ref offset);
    }

    private static JournalRecord ReadOne(byte[] block, ref int offset)
    {
        var r = new JournalBlockReader(block, offset);
        var kind = r.Byte();
        var market = r.Text();
        var time = new DateTimeOffset(r.Long(), TimeSpan.Zero);
        JournalRecord record = kind switch
        {
            Accepted => new OrderAcceptedRecord(market, time, r.Long(), r.Text(), (OrderSide)r.Byte(), (OrderType)r.Byte(), (TimeInForce)r.Byte(),
                r.OptionalLong(), r.Long(), r.OptionalText()),
            Fill => ReadFill(ref r, market, time),
            Rested => new OrderRestedRecord(market, time, r.Long()),
            Closed => new OrderClosedRecord(market, time, r.Long(), (OrderStatus)r.Int(), (RejectReason)r.Int()),
            _ => throw new InvalidDataException($"Unknown journal record kind {kind} at byte {offset} of a block"),
        };
        offset = r.Offset;
        return record;
    }

    private static FillRecord ReadFill(ref JournalBlockReader r, string market, DateTimeOffset time)
    {
        var (tradeId, makerId, takerId) = (r.Long(), r.Long(), r.Long());
        var (makerAccount, takerAccount) = (r.Text(), r.Text());
        var takerSide = (OrderSide)r.Byte();
        var (price, quantity) = (r.Long(), r.Long());
        var flags = r.Byte();
        return new FillRecord(market, time, tradeId, makerId, takerId, makerAccount, takerAccount, takerSide, price, quantity, (flags & 1) != 0, (flags & 2) != 0);
    }
}

/// <summary>Appends encoded fields to a growing buffer (reused from commit to commit).</summary>
internal sealed class JournalBlockWriter
{
    private byte[] _buffer = new byte[64 * 1024];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Reset() => Length = 0;

    public void Byte(byte value)
    {
        Room(1)[0] = value;
        Length++;
    }

    public void Int(int value) { BinaryPrimitives.WriteInt32LittleEndian(Room(4), value); Length += 4; }

    public void Long(long value) { BinaryPrimitives.WriteInt64LittleEndian(Room(8), value); Length += 8; }

    public void OptionalLong(long? value)
    {
        Byte(value is null ? (byte)0 : (byte)1);
        if (value is { } v) Long(v);
    }

    public void Text(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > ushort.MaxValue) throw new InvalidOperationException("A journal text field is longer than 65,535 bytes.");
        BinaryPrimitives.WriteUInt16LittleEndian(Room(2 + bytes), (ushort)bytes);
        Encoding.UTF8.GetBytes(value, _buffer.AsSpan(Length + 2));
        Length += 2 + bytes;
    }

    public void OptionalText(string? value)
    {
        Byte(value is null ? (byte)0 : (byte)1);
        if (value is not null) Text(value);
    }

    private Span<byte> Room(int bytes)
    {
        if (Length + bytes > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + bytes));
        return _buffer.AsSpan(Length);
    }
}

/// <summary>Reads fields in the order <see cref="JournalBlockWriter"/> wrote them.</summary>
internal ref struct JournalBlockReader(byte[] block, int offset)
{
    public int Offset { get; private set; } = offset;

    public byte Byte() => block[Offset++];

    public int Int() { var v = BinaryPrimitives.ReadInt32LittleEndian(block.AsSpan(Offset)); Offset += 4; return v; }

    public long Long() { var v = BinaryPrimitives.ReadInt64LittleEndian(block.AsSpan(Offset)); Offset += 8; return v; }

    public long? OptionalLong() => Byte() == 0 ? null : Long();

    /// <summary>A market or an account: they repeat in nearly every record, so a recent one is reused (<see cref="RecentTexts"/>).</summary>
    public string Text() => RecentTexts.Get(Utf8());

    /// <summary>A client order id: unique per order, decoded as it is.</summary>
    public string? OptionalText() => Byte() == 0 ? null : Encoding.UTF8.GetString(Utf8());

    /// <summary>A length-prefixed UTF-8 field, moved past.</summary>
    private ReadOnlySpan<byte> Utf8()
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(block.AsSpan(Offset));
        var field = block.AsSpan(Offset + 2, length);
        Offset += 2 + length;
        return field;
    }
}

/// <summary>
/// The texts decoded last on this thread, by a hash of their bytes: the replay at start, the
/// snapshotter and the trade history read a market and one or two accounts per record, and a new
/// string for each was a fifth of what they allocated.
/// </summary>
internal static class RecentTexts
{
    private const int Slots = 64;
    [ThreadStatic] private static (byte[] Utf8, string Text)[]? t_slots;

    public static string Get(ReadOnlySpan<byte> utf8)
    {
        var slots = t_slots ??= new (byte[], string)[Slots];
        ref var slot = ref slots[(int)((uint)HashCode.Combine(utf8.Length, utf8.IsEmpty ? 0 : utf8[0], utf8.IsEmpty ? 0 : utf8[^1], utf8.Length > 2 ? utf8[utf8.Length / 2] : 0) % Slots)];
        if (slot.Utf8 is { } known && utf8.SequenceEqual(known)) return slot.Text;
        var text = Encoding.UTF8.GetString(utf8);
        slot = (utf8.ToArray(), text);
        return text;
    }
}
