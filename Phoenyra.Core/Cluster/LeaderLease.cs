using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core.Cluster;

/// <summary>
/// Leadership on the shared PostgreSQL store. The leader holds a session advisory lock on a connection of
/// its own; PostgreSQL frees it when that session ends (the process died, the machine or network went away,
/// or the session idled past the lease because the process froze: <c>idle_session_timeout</c>). A standby
/// tries for the lock every <see cref="ClusterOptions.LeaseCheckMs"/>; the one that gets it bumps the
/// <c>cluster_term</c> row, runs the leader's start steps (<see cref="OnElected"/>: the journal replayed,
/// engines and strategies started) and opens. Every journal write carries the term and is refused by the
/// store once a newer term began, so a leader that has not noticed it was deposed cannot write. The leader
/// re-checks its session and the term every check; when one fails, or its last good check is older than
/// <see cref="ClusterOptions.LeaseMs"/>, it steps down: it acknowledges nothing more and the process exits
/// (code 75) to come back as a standby.
/// </summary>
internal sealed class LeaderLease(IOptions<ClusterOptions> options, IOptions<StoreOptions> store, ClusterMetrics metrics,
    IHostApplicationLifetime lifetime, TimeProvider time, ILogger<LeaderLease> logger) : BackgroundService, ILeadership
{
    /// <summary>The advisory-lock key of the leader (any constant distinct from the migrations' lock).</summary>
    private const long LeaderLock = 0x50484F_4C454144; // "PHO" "LEAD"

    public static readonly Migration Schema = new("cluster", 1, "leader term", Sqlite: "SELECT 1 -- a cluster needs PostgreSQL", Postgres: """
        CREATE TABLE cluster_term (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            term BIGINT NOT NULL,
            leader_node TEXT NOT NULL,
            leader_url TEXT NOT NULL,
            since_utc TEXT NOT NULL);
        INSERT INTO cluster_term VALUES (1, 0, '', '', '');
        """);

    /// <summary>The check <see cref="TermFence"/> runs first in a trading-state write, as the journal's trigger does for its blocks.</summary>
    public static readonly Migration FenceSchema = new("cluster", 2, "term check for trading-state writes", Sqlite: "SELECT 1 -- a cluster needs PostgreSQL", Postgres: """
        CREATE FUNCTION cluster_check_term(writer BIGINT) RETURNS BIGINT LANGUAGE plpgsql AS $$
        DECLARE current BIGINT;
        BEGIN
            SELECT term INTO current FROM cluster_term WHERE id = 1 FOR SHARE;
            IF writer <> current THEN
                RAISE EXCEPTION 'term % is over: another desk leads', writer USING ERRCODE = 'PHFNC';
            END IF;
            RETURN current;
        END $$;
        """);

    private readonly ClusterOptions _options = options.Value;
    private readonly List<Func<CancellationToken, Task>> _steps = [];
    private readonly Lock _gate = new();
    private NpgsqlConnection? _session;
    private volatile bool _isLeader, _steppedDown;
    private long _term, _lastGood;
    private volatile LeaderInfo? _leader;
    private readonly TaskCompletionSource _elected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLeader => _isLeader && !_steppedDown;
    public long Term => Interlocked.Read(ref _term);
    public string NodeId => _options.Node;
    public LeaderInfo? Leader => _leader;
    public bool SteppedDown => _steppedDown;
    public Task Elected => _elected.Task;

    public Task OnElected(Func<CancellationToken, Task> start)
    {
        lock (_gate) _steps.Add(start);
        return Task.CompletedTask;
    }

    public void Fenced(string why) => StepDown($"a write was fenced: {why}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var check = TimeSpan.FromMilliseconds(_options.LeaseCheckMs);
        using var timer = new PeriodicTimer(check, time);
        // Independent of the checks, which may hang on a dead network: a leader whose lease lapsed stops acknowledging.
        using var watchdog = time.CreateTimer(_ => Watch(), null, check, check);
        try
        {
            // Every hosted service has registered its start steps once the host has started.
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(_ => { }, TaskScheduler.Default);
            logger.LogInformation("Cluster node {Node}: standing by for the leader lock", NodeId);
            do
            {
                if (_steppedDown) return;
                try
                {
                    if (_isLeader) await Confirm(stoppingToken);
                    else await TryToLead(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    if (_isLeader) StepDown($"the lock's session failed ({ex.Message})");
                    else logger.LogWarning("Cluster node {Node}: cannot reach the store to stand for leader ({Problem}); retrying", NodeId, ex.Message);
                    await CloseSession();
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) { }
        finally
        {
            await CloseSession();
        }
    }

    private async Task TryToLead(CancellationToken cancellationToken)
    {
        var session = await Session(cancellationToken);
        await using (var read = new NpgsqlCommand("SELECT term, leader_node, leader_url, since_utc FROM cluster_term WHERE id = 1", session))
        await using (var row = await read.ExecuteReaderAsync(cancellationToken))
            if (await row.ReadAsync(cancellationToken) && row.GetInt64(0) > 0)
                _leader = new LeaderInfo(row.GetString(1), row.GetString(2), row.GetInt64(0), ParseTime(row.GetString(3)));
        await using var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LeaderLock})", session);
        if (await tryLock.ExecuteScalarAsync(cancellationToken) is not true) return;

        // The deposed leader's sessions are ended first: one frozen inside a transaction would hold its locks
        // (the journal's share lock on the term row the bump takes) until the server gave up on it.
        await using (var end = new NpgsqlCommand("""
            SELECT COUNT(pg_terminate_backend(a.pid)) FROM pg_stat_activity a, cluster_term t
            WHERE t.id = 1 AND t.leader_node <> '' AND t.leader_node <> @self AND a.application_name = 'phoenyra-' || t.leader_node AND a.pid <> pg_backend_pid()
            """, session))
        {
            end.Parameters.AddWithValue("self", NodeId);
            if (await end.ExecuteScalarAsync(cancellationToken) is long ended and > 0)
                logger.LogWarning("Cluster node {Node}: ended {Count} store sessions of the deposed leader", NodeId, ended);
        }
        await using var bump = new NpgsqlCommand(
            "UPDATE cluster_term SET term = term + 1, leader_node = @node, leader_url = @url, since_utc = @since WHERE id = 1 RETURNING term", session);
        var since = time.GetUtcNow();
        bump.Parameters.AddWithValue("node", NodeId);
        bump.Parameters.AddWithValue("url", _options.AdvertisedUrl);
        bump.Parameters.AddWithValue("since", since.ToString("O", CultureInfo.InvariantCulture));
        var term = (long)(await bump.ExecuteScalarAsync(cancellationToken))!;
        Interlocked.Exchange(ref _term, term);
        Interlocked.Exchange(ref _lastGood, time.GetTimestamp());
        _leader = new LeaderInfo(NodeId, _options.AdvertisedUrl, term, since);
        logger.LogWarning("Cluster node {Node}: took the leader lock, term {Term}; starting the desk", NodeId, term);
        List<Func<CancellationToken, Task>> steps;
        lock (_gate) steps = [.. _steps];
        foreach (var step in steps) await step(cancellationToken);
        _isLeader = true;
        _elected.TrySetResult();
        metrics.Takeovers.Add(1);
        logger.LogWarning("Cluster node {Node}: leads in term {Term}", NodeId, term);
    }

    private async Task Confirm(CancellationToken cancellationToken)
    {
        var session = await Session(cancellationToken);
        await using var read = new NpgsqlCommand("SELECT term FROM cluster_term WHERE id = 1", session);
        var term = (long)(await read.ExecuteScalarAsync(cancellationToken))!;
        if (term != Term)
        {
            StepDown($"term {term} began on another node");
            return;
        }
        Interlocked.Exchange(ref _lastGood, time.GetTimestamp());
    }

    private void Watch()
    {
        if (_isLeader && !_steppedDown && time.GetElapsedTime(Interlocked.Read(ref _lastGood)).TotalMilliseconds > _options.LeaseMs)
            StepDown($"no good check of the lease for more than {_options.LeaseMs} ms");
    }

    private void StepDown(string why)
    {
        if (!_isLeader || _steppedDown) return;
        _steppedDown = true;
        logger.LogCritical("Cluster node {Node}: steps down from term {Term}: {Why}. It acknowledges nothing more and exits to restart as a standby", NodeId, Term, why);
        lifetime.StopApplication();
    }

    /// <summary>The lock's own connection (unpooled), with an idle timeout: a frozen process loses the lock.</summary>
    private async Task<NpgsqlConnection> Session(CancellationToken cancellationToken)
    {
        if (_session is { State: System.Data.ConnectionState.Open } open) return open;
        await CloseSession();
        var builder = new NpgsqlConnectionStringBuilder(store.Value.ConnectionString)
        {
            Pooling = false,
            CommandTimeout = Math.Max(1, (int)Math.Ceiling(_options.LeaseMs / 1000.0)),
            Timeout = Math.Max(1, (int)Math.Ceiling(_options.LeaseMs / 1000.0)),
            ApplicationName = $"phoenyra-leader-{NodeId}",
        };
        var session = new NpgsqlConnection(builder.ConnectionString);
        await session.OpenAsync(cancellationToken);
        await using (var idle = new NpgsqlCommand($"SET idle_session_timeout = {_options.LeaseMs}", session))
            await idle.ExecuteNonQueryAsync(cancellationToken);
        _session = session;
        return session;
    }

    private async Task CloseSession()
    {
        if (_session is null) return;
        try { await _session.DisposeAsync(); } catch (NpgsqlException) { }
        _session = null;
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : DateTimeOffset.MinValue;
}
