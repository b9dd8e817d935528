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
/// request path; the day's file is renamed <c>api_access-YYYY-MM-DD.log</c> at midnight UTC, and
/// <c>api_access-YYYY-MM-DD.N.log</c> when it outgrows <see cref="HttpOptions.AccessLogFileMegabytes"/>.
/// Files older than <see cref="RetentionDays"/> are deleted, and the oldest go first while all exceed
/// <see cref="HttpOptions.AccessLogTotalMegabytes"/>. Lines of requests without a valid key are capped
/// per second (<see cref="HttpOptions.AccessLogAnonymousLinesPerSecond"/>). A line not written is
/// counted (<c>pho_access_log_dropped_total{reason=behind|anonymous_cap}</c>), never the request.
/// </summary>
internal sealed class AccessLog(IOptions<PhoenyraOptions> options, IOptions<HttpOptions> http, IMeterFactory meters, TimeProvider time, ILogger<AccessLog> logger) : BackgroundService
{
    private readonly Counter<long> _dropped = meters.Create("Phoenyra.Ops.AccessLog").CreateCounter<long>(
        "pho_access_log_dropped_total", description: "API access-log lines not written (the requests were served), by reason: behind (the writer fell behind), anonymous_cap.");
    private static readonly KeyValuePair<string, object?> Behind = new("reason", "behind"), AnonymousCap = new("reason", "anonymous_cap");
    private long _anonymousSecond;
    private int _anonymousLines;
    public const int RetentionDays = 30;
    public const string FileName = "api_access.log";
    private readonly Channel<(DateTimeOffset Time, string Line)> _lines =
        Channel.CreateBounded<(DateTimeOffset, string)>(new BoundedChannelOptions(50_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private string Folder => Path.Combine(options.Value.DataDirFullPath, "logs");

    public void Write(string? keyId, string method, string route, int status, TimeSpan duration, string? address)
    {
        var now = time.GetUtcNow();
        if (keyId is null && !AnonymousAllowed(now))
        {
            _dropped.Add(1, AnonymousCap);
            return;
        }
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {keyId ?? "-"} {method} {route} {status} {duration.TotalMilliseconds:0.0}ms {address ?? "-"}");
        if (!_lines.Writer.TryWrite((now, line))) _dropped.Add(1, Behind);
    }

    private bool AnonymousAllowed(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        if (Interlocked.Exchange(ref _anonymousSecond, second) != second) Interlocked.Exchange(ref _anonymousLines, 0);
        return Interlocked.Increment(ref _anonymousLines) <= http.Value.AccessLogAnonymousLinesPerSecond;
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
                        if (lineDay > day || (file?.BaseStream.Length ?? (File.Exists(path) ? new FileInfo(path).Length : 0)) >= MaxFileBytes)
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

    private long MaxFileBytes => http.Value.AccessLogFileMegabytes * 1024L * 1024;

    /// <summary>The current file becomes the finished day's (a numbered part if that day has one already); then old and excess files go.</summary>
    private void Rotate(string path, DateOnly finished, DateOnly today)
    {
        if (File.Exists(path))
        {
            var target = Path.Combine(Folder, $"api_access-{finished:yyyy-MM-dd}.log");
            for (var part = 1; File.Exists(target); part++) target = Path.Combine(Folder, $"api_access-{finished:yyyy-MM-dd}.{part}.log");
            File.Move(path, target);
        }
        var finishedFiles = Directory.GetFiles(Folder, "api_access-*.log").Select(f => new FileInfo(f)).OrderBy(f => f.LastWriteTimeUtc).ToList();
        var total = finishedFiles.Sum(f => f.Length);
        foreach (var old in finishedFiles)
        {
            var name = Path.GetFileNameWithoutExtension(old.Name)["api_access-".Length..];
            var tooOld = name.Length >= 10 && DateOnly.TryParseExact(name[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date < today.AddDays(-RetentionDays);
            if (!tooOld && total <= http.Value.AccessLogTotalMegabytes * 1024L * 1024) continue;
            total -= old.Length;
            old.Delete();
        }
    }
}
