using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Policy;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Risk;

/// <summary>The outcome of a reload: the policy now in force, or the error that kept the old one.</summary>
public sealed record PolicyReloadResult(bool Applied, int Version, string Hash, string? Error);

/// <summary>
/// Loads <c>policy.yaml</c> into the <see cref="RiskEngine"/>, reloads it on request or when the
/// file changes, and keeps the old policy when a new one is invalid. Every reload is audited; every applied policy is stored
/// with a version number.
/// </summary>
internal sealed class PolicyReloader(
    IOptions<TradingOptions> options,
    RiskEngine risk,
    IStore store,
    IAuditLog audit,
    IBus bus,
    TimeProvider time,
    IReadOnlyCollection<IPolicySection> sections,
    ILogger<PolicyReloader> logger) : IHostedService, IDisposable
{
    public static readonly Migration Schema = new("trading", 2, "policy versions", """
        CREATE TABLE policy_versions (
            version INTEGER PRIMARY KEY AUTOINCREMENT,
            hash TEXT NOT NULL,
            yaml TEXT NOT NULL,
            loaded_utc TEXT NOT NULL,
            actor TEXT NOT NULL);
        """);

    private readonly Lock _gate = new();
    private ITimer? _poll;
    private (DateTime Written, long Length) _seen;
    private ITimer? _debounce;

    /// <summary>
    /// How often the file is looked at. Polled, not watched: a directory watch wakes for every write
    /// to every file beside the policy (the store's files, when it sits in the data folder), which
    /// under load was thousands of wake-ups a second; one look a second costs nothing.
    /// </summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    public string PolicyPath => ResolvePath(options.Value.PolicyFile);

    /// <summary>
    /// The file a user edits: a relative <c>PolicyFile</c> is looked for in the working directory
    /// first (with <c>dotnet run</c>, the repository root), then beside the binary (where every build
    /// and publish carries a copy).
    /// </summary>
    public static string ResolvePath(string file)
    {
        var inWorkingDirectory = Path.GetFullPath(file, Environment.CurrentDirectory);
        return Path.IsPathRooted(file) || File.Exists(inWorkingDirectory) ? inWorkingDirectory : Path.GetFullPath(file, AppContext.BaseDirectory);
    }

    /// <summary>Parses the file for start-up; settings validation (<see cref="PolicyFileCheck"/>) has already proven it valid.</summary>
    public static RiskPolicy LoadInitial(TradingOptions settings, IReadOnlyCollection<IPolicySection> sections) =>
        PolicyParser.Parse(File.ReadAllText(ResolvePath(settings.PolicyFile)), settings.Markets.Select(m => m.Id).ToArray(), 0, sections);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var yaml = await File.ReadAllTextAsync(PolicyPath, cancellationToken);
        risk.Apply(risk.Policy with { Version = Store(yaml, risk.Policy.Hash, "startup") });
        _seen = Look();
        _poll = time.CreateTimer(_ => Poll(), null, PollInterval, PollInterval);
        logger.LogInformation("Risk policy v{Version} ({Hash}) from {Path}: {State}", risk.Policy.Version, risk.Policy.Hash, PolicyPath, risk.Policy.TradingState);
        await bus.Publish(new RiskPolicyChanged(risk.Policy.Version, risk.Policy.Hash, "startup", time.GetUtcNow(), risk.Policy.Sections), cancellationToken);
    }

    private (DateTime, long) Look()
    {
        var file = new FileInfo(PolicyPath);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
    }

    private void Poll()
    {
        var now = Look();
        if (now == _seen) return;
        _seen = now;
        ScheduleReload();
    }

    // Editors write files in several steps; wait for the writes to settle.
    private void ScheduleReload()
    {
        lock (_gate)
        {
            _debounce?.Dispose();
            _debounce = time.CreateTimer(_ => _ = Reload("file-watch"), null, TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        }
    }

    public async Task<PolicyReloadResult> Reload(string actor)
    {
        var before = risk.Policy;
        string yaml;
        RiskPolicy candidate;
        try
        {
            yaml = await File.ReadAllTextAsync(PolicyPath);
            candidate = PolicyParser.Parse(yaml, options.Value.Markets.Select(m => m.Id).ToArray(), before.Version, sections);
        }
        catch (Exception ex) when (ex is PolicyParser.PolicyException or IOException or UnauthorizedAccessException)
        {
            var error = $"{Path.GetFileName(PolicyPath)}: {ex.Message}";
            logger.LogWarning("Policy reload by {Actor} rejected, v{Version} stays in force: {Error}", actor, before.Version, error);
            await audit.Record(actor, "policy.reload", Describe(before), null, "rejected: " + error);
            return new PolicyReloadResult(false, before.Version, before.Hash, error);
        }
        if (candidate.Hash == before.Hash)
            return new PolicyReloadResult(true, before.Version, before.Hash, null);

        var applied = candidate with { Version = Store(yaml, candidate.Hash, actor) };
        lock (_gate) risk.Apply(applied);
        logger.LogInformation("Policy reload by {Actor}: v{Version} ({Hash}) in force, trading {State}", actor, applied.Version, applied.Hash, applied.TradingState);
        await audit.Record(actor, "policy.reload", Describe(before), Describe(applied), "ok");
        await bus.Publish(new RiskPolicyChanged(applied.Version, applied.Hash, actor, time.GetUtcNow(), applied.Sections));
        return new PolicyReloadResult(true, applied.Version, applied.Hash, null);
    }

    private static object Describe(RiskPolicy policy) => new { version = policy.Version, hash = policy.Hash, trading_state = policy.TradingState };

    /// <summary>Stores the text if it differs from the newest stored version; returns the version in force.</summary>
    private int Store(string yaml, string hash, string actor)
    {
        using var connection = store.Open();
        using var newest = connection.CreateCommand();
        newest.CommandText = "SELECT version, hash FROM policy_versions ORDER BY version DESC LIMIT 1";
        using (var reader = newest.ExecuteReader())
            if (reader.Read() && reader.GetString(1) == hash) return reader.GetInt32(0);
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO policy_versions(hash, yaml, loaded_utc, actor) VALUES ($h, $y, $t, $a); SELECT last_insert_rowid();";
        insert.Parameters.AddWithValue("$h", hash);
        insert.Parameters.AddWithValue("$y", yaml);
        insert.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O"));
        insert.Parameters.AddWithValue("$a", actor);
        return (int)(long)insert.ExecuteScalar()!;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _poll?.Dispose();
        _debounce?.Dispose();
    }
}
