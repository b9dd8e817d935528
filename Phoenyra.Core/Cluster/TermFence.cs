using System.Data.Common;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core.Cluster;

/// <summary>
/// Trading state written beside the journal (the desk's kept guards, the strategies' events) is fenced like the
/// journal's blocks: on PostgreSQL the write's transaction first checks this desk's term, share-locking the term row
/// (so an election's bump waits for the write, and a write after the bump sees the new term), and is refused once
/// another term began; this desk then steps down. On SQLite there is one desk and nothing to check.
/// </summary>
public static class TermFence
{
    /// <summary>Runs <paramref name="write"/> in one transaction behind the term check; <see cref="NotLeaderException"/> when fenced.</summary>
    public static void Write(IStore store, ILeadership leadership, Action<DbConnection, DbTransaction> write)
    {
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        try
        {
            if (store.Provider == StoreProvider.Postgres)
            {
                using var check = connection.Command("SELECT cluster_check_term(@term)", transaction);
                check.Parameter("@term", leadership.Term);
                check.ExecuteScalar();
            }
            write(connection, transaction);
            transaction.Commit();
        }
        catch (DbException ex) when (ex.IsFenced())
        {
            if (leadership.IsLeader) leadership.Fenced(ex.Message); // a deposed leader steps down; a standby never wrote
            throw new NotLeaderException($"This desk no longer leads ({ex.Message}); nothing was written.");
        }
    }
}
