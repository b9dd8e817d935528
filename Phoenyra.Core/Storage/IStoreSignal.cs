using System.Data.Common;
using Npgsql;

namespace Phoenyra.Core.Storage;

/// <summary>
/// Wakes a reader when a writer on another desk says something changed (PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c>
/// on its own connection). Readers still look on a timeout: a lost signal only delays them.
/// </summary>
public interface IStoreSignal : IDisposable
{
    /// <summary>True when a notification arrived within <paramref name="timeout"/>; throws a <see cref="DbException"/> when the connection broke.</summary>
    bool Wait(TimeSpan timeout);
}

/// <summary>A <c>LISTEN</c> on a connection of its own.</summary>
internal sealed class PostgresSignal : IStoreSignal
{
    private readonly NpgsqlConnection _connection;

    public PostgresSignal(NpgsqlConnection connection, string channel)
    {
        _connection = connection;
        connection.Execute($"LISTEN {channel}");
    }

    public bool Wait(TimeSpan timeout) => _connection.Wait(timeout);

    public void Dispose() => _connection.Dispose();
}

/// <summary>SQLite has one desk and no notifications: the reader looks again after the timeout.</summary>
internal sealed class TimerSignal : IStoreSignal
{
    public bool Wait(TimeSpan timeout)
    {
        Thread.Sleep(timeout);
        return false;
    }

    public void Dispose() { }
}
