using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Phoenyra.Tests.Shared;

/// <summary>
/// A real PostgreSQL cluster for the tests: this machine's server binaries (Debian's <c>postgresql</c>, which
/// <c>./test.sh</c> installs when missing; or <c>PHOENYRA_PG_BIN</c>), <c>initdb</c> into a fresh folder,
/// started on a free loopback port, stopped and deleted when disposed or when the test process exits.
/// PostgreSQL refuses to run as root, so as root every server command runs as the <c>postgres</c> user.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private static readonly Lazy<PostgresServer> SharedServer = new(() => Start());
    private static int _databases;
    private readonly Lock _gate = new();
    private bool _stopped;

    private PostgresServer(string dataDir, int port) => (DataDir, Port) = (dataDir, port);

    /// <summary>One cluster per test process, for the tests that need a database and nothing more.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public string DataDir { get; }
    public int Port { get; }

    /// <summary>A connection string to <paramref name="database"/> on this server (trust authentication on loopback).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=30";

    /// <summary>Creates an empty database of its own for a test; returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = $"pho_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>initdb and start a cluster; <paramref name="settings"/> are extra postgresql.conf lines.</summary>
    public static PostgresServer Start(params string[] settings)
    {
        var dataDir = NewDataDir();
        // Listed for ./test.sh, which stops whatever a crashed test process left running.
        File.AppendAllLines(Path.Combine(Path.GetTempPath(), "postgres-clusters"), [dataDir]);
        Run("initdb", "-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-instructions");
        var server = new PostgresServer(dataDir, FreePort());
        File.AppendAllLines(Path.Combine(dataDir, "postgresql.conf"),
            [$"port = {server.Port}", "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", "max_connections = 200", .. settings]);
        server.StartServer();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    /// <summary>
    /// A streaming-replication standby of this server (<c>pg_basebackup -R</c>) on a port of its own, made
    /// synchronous: from here on a commit on this server returns only once the standby has it on disk.
    /// </summary>
    public PostgresServer StartSynchronousStandby()
    {
        var dataDir = NewDataDir();
        File.AppendAllLines(Path.Combine(Path.GetTempPath(), "postgres-clusters"), [dataDir]);
        Run("pg_basebackup", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-D", dataDir, "-R", "-X", "stream", "-c", "fast");
        var standby = new PostgresServer(dataDir, FreePort());
        // The copied postgresql.conf names this server's port; the last setting wins.
        File.AppendAllLines(Path.Combine(dataDir, "postgresql.conf"), [$"port = {standby.Port}", "cluster_name = 'phoenyra_standby'"]);
        standby.StartServer();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => standby.Dispose();
        Execute("ALTER SYSTEM SET synchronous_standby_names = 'phoenyra_standby'");
        Execute("SELECT pg_reload_conf()");
        for (var i = 0; i < 100 && Scalar("SELECT COUNT(*) FROM pg_stat_replication WHERE sync_state = 'sync'") == 0; i++) Thread.Sleep(100);
        return standby;
    }

    /// <summary>Makes this standby the primary (<c>pg_ctl promote</c>).</summary>
    public void Promote() => Run("pg_ctl", "-D", DataDir, "-w", "promote");

    /// <summary>Runs a statement on this server's <c>postgres</c> database.</summary>
    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Starts the stopped server again (same folder and port).</summary>
    public void StartServer()
    {
        Run("pg_ctl", "-D", DataDir, "-l", Path.Combine(DataDir, "server.log"), "-w", "-t", "60", "start");
        lock (_gate) _stopped = false;
    }

    /// <summary>Stops the server; <c>immediate</c> is a crash as PostgreSQL sees it (no checkpoint).</summary>
    public void StopServer(bool immediate = false)
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
        }
        Run("pg_ctl", "-D", DataDir, "-m", immediate ? "immediate" : "fast", "-w", "stop");
    }

    public void Dispose()
    {
        try { StopServer(immediate: true); } catch (InvalidOperationException) { }
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// As root, a folder the postgres user owns in the system's temp folder (the checkout may sit in a
    /// folder only root can enter); otherwise one in the test run's temp folder.
    /// </summary>
    private static string NewDataDir()
    {
        if (!IsRoot)
        {
            var dir = Path.Combine(Path.GetTempPath(), "phoenyra-pg." + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(dir);
            return dir;
        }
        return Output(Command("runuser", "-u", "postgres", "--", "env", "-u", "TMPDIR", "mktemp", "-d", "-t", "phoenyra-pg.XXXXXXXX")).Trim();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs one of the server's programs (as postgres when this process is root); fails with its output.</summary>
    public static string Run(string program, params string[] args)
    {
        var path = Path.Combine(BinDir, program);
        return Output(IsRoot ? Command("runuser", ["-u", "postgres", "--", path, .. args]) : Command(path, args));
    }

    private static ProcessStartInfo Command(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The server and its tools must not inherit the test run's temp folder (only root may enter it).
        info.Environment.Remove("TMPDIR");
        return info;
    }

    private static string Output(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{info.FileName} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}: {output.Result}{error.Result}");
        return output.Result;
    }

    /// <summary>The server binaries: <c>PHOENYRA_PG_BIN</c>, else the newest of Debian's <c>/usr/lib/postgresql/N/bin</c>.</summary>
    private static string BinDir => Environment.GetEnvironmentVariable("PHOENYRA_PG_BIN") is { Length: > 0 } bin
        ? bin
        : Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var major) ? major : 0).FirstOrDefault()
              ?? throw new InvalidOperationException("No PostgreSQL server binaries in /usr/lib/postgresql/*/bin; ./test.sh installs Debian's postgresql, or set PHOENYRA_PG_BIN.")
            : throw new InvalidOperationException("No PostgreSQL server binaries (Debian's postgresql package); ./test.sh installs them, or set PHOENYRA_PG_BIN.");
}
