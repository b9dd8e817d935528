using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Storage;

namespace Phoenyra.Bess.Telemetry;

/// <summary>
/// Telemetry history per site in the store, and the latest reading of each site in memory.
/// Readings are written by one background writer in batches (a device's reading is answered
/// 202 Accepted at once; history is for charts and audits, so it may trail by one batch).
/// </summary>
internal sealed class TelemetryStore(IStore store, ILogger<TelemetryStore> logger) : IAsyncDisposable
{
    /// <summary>Attempts per batch while the store refuses writes (one a second); then the batch is dropped from history, logged.</summary>
    public const int WriteAttempts = 10;

    private readonly Channel<TelemetryReceived> _pending = Channel.CreateUnbounded<TelemetryReceived>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _writer;

    public static readonly Migration Schema = new("bess", 1, "telemetry history", """
        CREATE TABLE bess_telemetry (
            id INTEGER PRIMARY KEY,
            site TEXT NOT NULL,
            time_utc TEXT NOT NULL,
            soc_percent REAL NOT NULL,
            active_power_mw REAL NOT NULL,
            temperature_c REAL NOT NULL,
            source TEXT NOT NULL);
        CREATE INDEX bess_telemetry_site_time ON bess_telemetry(site, time_utc);
        """);

    private readonly ConcurrentDictionary<string, TelemetryReceived> _latest = new(StringComparer.Ordinal);

    public TelemetryReceived? Latest(string site) => _latest.TryGetValue(site, out var reading) ? reading : null;

    /// <summary>Records a reading; it becomes the latest unless a newer one is already known (late backfill).</summary>
    public void Add(TelemetryReceived reading)
    {
        _latest.AddOrUpdate(reading.Site, reading, (_, current) => reading.Time >= current.Time ? reading : current);
        Interlocked.Increment(ref _unwritten);
        _pending.Writer.TryWrite(reading);
        _writer ??= Task.Factory.StartNew(WriteLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>Waits until every reading recorded so far is in the store (history queries call it).</summary>
    public async Task Flush()
    {
        while (Interlocked.Read(ref _unwritten) > 0) await Task.Delay(5);
    }

    private long _unwritten;

    /// <summary>Writes batches for as long as the desk runs; a store that refuses a write is retried, never the end of history.</summary>
    private async Task WriteLoop()
    {
        var batch = new List<TelemetryReceived>(1024);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 8192 && _pending.Reader.TryRead(out var reading)) batch.Add(reading);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Write(batch);
                    break;
                }
                catch (Exception ex) when (attempt < WriteAttempts)
                {
                    if (attempt == 1) logger.LogWarning("Telemetry history: the store refused {Count} readings ({Problem}); retrying every second", batch.Count, ex.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Telemetry history: {Count} readings not written after {Attempts} attempts; the latest values stay in memory", batch.Count, attempt);
                    break;
                }
            }
            Interlocked.Add(ref _unwritten, -batch.Count);
        }
    }

    private void Write(List<TelemetryReceived> batch)
    {
        using var connection = store.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO bess_telemetry(site, time_utc, soc_percent, active_power_mw, temperature_c, source) VALUES ($s, $t, $soc, $p, $temp, $src)";
        var site = command.Parameters.Add("$s", SqliteType.Text);
        var time = command.Parameters.Add("$t", SqliteType.Text);
        var soc = command.Parameters.Add("$soc", SqliteType.Real);
        var power = command.Parameters.Add("$p", SqliteType.Real);
        var temperature = command.Parameters.Add("$temp", SqliteType.Real);
        var source = command.Parameters.Add("$src", SqliteType.Text);
        foreach (var r in batch)
        {
            site.Value = r.Site;
            time.Value = r.Time.UtcDateTime.ToString("O");
            soc.Value = r.SocPercent;
            power.Value = r.ActivePowerMw;
            temperature.Value = r.TemperatureC;
            source.Value = r.Source;
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer is not null) await _writer;
    }

    public void LoadLatest()
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT site, time_utc, soc_percent, active_power_mw, temperature_c, source FROM bess_telemetry t
            WHERE id = (SELECT id FROM bess_telemetry WHERE site = t.site ORDER BY time_utc DESC, id DESC LIMIT 1)
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read()) _latest[reader.GetString(0)] = Read(reader);
    }

    public async Task<IReadOnlyList<TelemetryReceived>> History(string site, DateTimeOffset? since, int limit)
    {
        await Flush();
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT site, time_utc, soc_percent, active_power_mw, temperature_c, source FROM bess_telemetry
            WHERE site = $s AND time_utc >= $since ORDER BY time_utc DESC, id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$s", site);
        command.Parameters.AddWithValue("$since", (since ?? DateTimeOffset.MinValue).UtcDateTime.ToString("O"));
        command.Parameters.AddWithValue("$limit", limit);
        var rows = new List<TelemetryReceived>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add(Read(reader));
        rows.Reverse();
        return rows;
    }

    public int DeleteOlderThan(DateTimeOffset cutoff)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM bess_telemetry WHERE time_utc < $cutoff";
        command.Parameters.AddWithValue("$cutoff", cutoff.UtcDateTime.ToString("O"));
        return command.ExecuteNonQuery();
    }

    private static TelemetryReceived Read(Microsoft.Data.Sqlite.SqliteDataReader r) => new(
        r.GetString(0), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4),
        DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), r.GetString(5));
}
