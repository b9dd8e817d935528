using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Settings;

namespace Phoenyra.Ops.Http;

/// <summary>
/// The seeds' API access log, <c>DATA/logs/api_access.log</c>: one line per request — UTC time, key id
/// (never the key), method, route template, status, duration, client address. Every field comes
/// from a fixed set or is validated (no raw path), so a request cannot forge a line. Written off the
/// request path; the day's file is renamed <c>api_access-YYYY-MM-DD.log</c> at midnight UTC and
/// files older than <see cref="RetentionDays"/> are deleted. If the writer falls behind, lines are
/// dropped and counted (<c>pho_access_log_dropped_total</c>), never the request.
/// </summary>
internal sealed class AccessLog(IOptions<PhoenyraOptions> options, IMeterFactory meters, TimeProvider time, ILogger<AccessLog> logger) : BackgroundService
{
    private readonly Counter<long> _dropped = meters.Create("Phoenyra.Ops.AccessLog").CreateCounter<long>(
        "pho_access_log_dropped_total", description: "API access-log lines dropped because the writer fell behind (the requests were served).");
    public const int RetentionDays = 30;
    public const string FileName = "api_access.log";
    private readonly Channel<(DateTimeOffset Time, string Line)> _lines =
        Channel.CreateBounded<(DateTimeOffset, string)>(new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private string Folder => Path.Combine(options.Value.DataDirFullPath, "logs");

    public void Write(string? keyId, string method, string route, int status, TimeSpan duration, string? address)
    {
        var now = time.GetUtcNow();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {keyId ?? "-"} {method} {route} {status} {duration.TotalMilliseconds:0.0}ms {address ?? "-"}");
        if (!_lines.Writer.TryWrite((now, line))) _dropped.Add(1);
    }

    /// <summary>Lines are gathered for this long before a write, so a busy desk writes a few times a second, not per request.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateOnly? day = null;
        StreamWriter? file = null;
        var batch = new List<(DateTimeOffset Time, string Line)>(4096);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gather, stoppingToken); // real time: a write interval, not a business time
                try
                {
                    var path = Path.Combine(Folder, FileName);
                    batch.Clear();
                    while (batch.Count < 50_000 && _lines.Reader.TryRead(out var item)) batch.Add(item);
                    foreach (var line in batch)
                    {
                        var lineDay = DateOnly.FromDateTime(line.Time.UtcDateTime);
                        if (file is null)
                        {
                            Directory.CreateDirectory(Folder);
                            day ??= File.Exists(path) ? DateOnly.FromDateTime(File.GetLastWriteTimeUtc(path)) : lineDay;
                        }
                        if (lineDay > day)
                        {
                            file?.Dispose();
                            file = null;
                            Rotate(path, day!.Value, lineDay);
                            day = lineDay;
                        }
                        file ??= new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024));
                        file.WriteLine(line.Line);
                    }
                    file?.Flush();
                }
                catch (IOException ex)
                {
                    logger.LogWarning("API access log not written: {Problem}", ex.Message);
                    try { file?.Dispose(); } catch (IOException) { }
                    file = null;
                }
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            try { file?.Dispose(); } catch (IOException) { }
        }
    }

    private void Rotate(string path, DateOnly finished, DateOnly today)
    {
        if (File.Exists(path)) File.Move(path, Path.Combine(Folder, $"api_access-{finished:yyyy-MM-dd}.log"), overwrite: true);
        foreach (var old in Directory.GetFiles(Folder, "api_access-*.log"))
            if (DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(old)["api_access-".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date < today.AddDays(-RetentionDays))
                File.Delete(old);
    }
}
