using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Book;

/// <summary>
/// An order inside a book, in integer ticks (price) and lots (quantity). Pooled by the book:
/// never hand a reference out of the engine loop; copy what readers need.
/// </summary>
internal sealed class BookOrder
{
    public long Id;
    public string Account = "";
    public OrderSide Side;
    public long Price;
    public long Quantity;
    public long Remaining;
    public bool Ephemeral;

    internal BookOrder? Next;
    internal BookOrder? Previous;
    internal PriceLevel? Level;

    public long Filled => Quantity - Remaining;

    public void Set(long id, string account, OrderSide side, long price, long quantity, bool ephemeral = false)
    {
        Id = id;
        Account = account;
        Side = side;
        Price = price;
        Quantity = quantity;
        Remaining = quantity;
        Ephemeral = ephemeral;
        Next = Previous = null;
        Level = null;
    }
}

/// <summary>All resting orders at one price, oldest first.</summary>
internal sealed class PriceLevel
{
    public long Price;
    public long Total;
    public int Count;
    public BookOrder? Head;
    public BookOrder? Tail;

    public void Append(BookOrder order)
    {
        order.Level = this;
        order.Previous = Tail;
        order.Next = null;
        if (Tail is null) Head = order; else Tail.Next = order;
        Tail = order;
        Total += order.Remaining;
        Count++;
    }

    public void Unlink(BookOrder order)
    {
        if (order.Previous is null) Head = order.Next; else order.Previous.Next = order.Next;
        if (order.Next is null) Tail = order.Previous; else order.Next.Previous = order.Previous;
        Total -= order.Remaining;
        Count--;
        order.Next = order.Previous = null;
        order.Level = null;
    }
}

/// <summary>Receives executions as the book produces them, in order.</summary>
internal interface IMatchListener
{
    void OnFill(BookOrder maker, BookOrder taker, long price, long quantity);

    /// <summary>The maker is fully filled and has left the book; it returns to the pool after this call.</summary>
    void OnMakerFilled(BookOrder maker);
}
