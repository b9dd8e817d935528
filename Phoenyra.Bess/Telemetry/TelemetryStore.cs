using System.Collections.Concurrent;
using System.Globalization;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Storage;

namespace Phoenyra.Bess.Telemetry;

/// <summary>Telemetry history per site in the store, and the latest reading of each site in memory.</summary>
internal sealed class TelemetryStore(IStore store)
{
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

    /// <summary>Stores a reading; it becomes the latest unless a newer one is already known (late backfill).</summary>
    public void Add(TelemetryReceived reading)
    {
        using var connection = store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO bess_telemetry(site, time_utc, soc_percent, active_power_mw, temperature_c, source) VALUES ($s, $t, $soc, $p, $temp, $src)";
        command.Parameters.AddWithValue("$s", reading.Site);
        command.Parameters.AddWithValue("$t", reading.Time.UtcDateTime.ToString("O"));
        command.Parameters.AddWithValue("$soc", reading.SocPercent);
        command.Parameters.AddWithValue("$p", reading.ActivePowerMw);
        command.Parameters.AddWithValue("$temp", reading.TemperatureC);
        command.Parameters.AddWithValue("$src", reading.Source);
        command.ExecuteNonQuery();
        _latest.AddOrUpdate(reading.Site, reading, (_, current) => reading.Time >= current.Time ? reading : current);
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

    public IReadOnlyList<TelemetryReceived> History(string site, DateTimeOffset? since, int limit)
    {
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
