namespace Phoenyra.Core.Storage;

/// <summary>
/// One SQL statement run for every row of a batch, its values bound by position (1-based). Rows may be
/// held until <see cref="Flush"/> (PostgreSQL sends them in one round trip), so flush before the
/// transaction commits; disposing without a flush drops what is held.
/// </summary>
public interface IBatchStatement : IDisposable
{
    void Bind(int index, long value);

    void Bind(int index, long? value);

    void Bind(int index, double value);

    void Bind(int index, string? value);

    void Bind(int index, ReadOnlySpan<byte> blob);

    /// <summary>A decimal as exact invariant text (how the stores keep prices and quantities).</summary>
    void Bind(int index, decimal? value);

    /// <summary>A time as ISO 8601 UTC text, round-trip precision ("O").</summary>
    void Bind(int index, DateTimeOffset value);

    /// <summary>Runs (or queues) the statement with the values bound, then readies it for the next row.</summary>
    void Run();

    /// <summary>Sends every queued row.</summary>
    void Flush();
}
