using System.Text.Json;
using System.Data.Common;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Journal;

namespace Phoenyra.Trading.Snapshots;

/// <summary>
/// Snapshots live beside the blocks they cover, in the journal's file (<c>j.snapshots</c>), as JSON:
/// exact decimals and times, readable with any SQLite or PostgreSQL tool. The newest readable one is used.
/// </summary>
internal sealed class SnapshotStore(IStore store, ILogger<SnapshotStore> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    public void Save(DeskState state, int keep)
    {
        var data = JsonSerializer.SerializeToUtf8Bytes(state, Json);
        using var connection = JournalFile.Open(store);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO j.snapshots(block_seq, taken_utc, data) VALUES (@block, @taken, @data);
            DELETE FROM j.snapshots WHERE id NOT IN (SELECT id FROM j.snapshots ORDER BY id DESC LIMIT @keep);
            """;
        command.Parameter("@block", state.BlockSeq);
        command.Parameter("@taken", state.TakenUtc.UtcDateTime.ToString("O"));
        command.Parameter("@data", data);
        command.Parameter("@keep", keep);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>The newest snapshot that can be read and whose blocks are all still in the journal, or null.</summary>
    public DeskState? Latest()
    {
        using var connection = JournalFile.Open(store);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, data FROM j.snapshots
            WHERE block_seq <= (SELECT COALESCE(MAX(seq), 0) FROM j.journal_blocks)
            ORDER BY id DESC
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            try
            {
                return JsonSerializer.Deserialize<DeskState>((byte[])reader.GetValue(1), Json);
            }
            catch (JsonException ex)
            {
                logger.LogWarning("Snapshot {Id} cannot be read ({Problem}); trying an older one", reader.GetInt64(0), ex.Message);
            }
        }
        return null;
    }
}
