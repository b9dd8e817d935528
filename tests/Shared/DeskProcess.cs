using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Phoenyra.Tests.Shared;

/// <summary>
/// The real desk binary (Phoenyra.Web from its build output, Production environment, as an
/// operator runs it) on a free 127.0.0.1 port with a private data folder.
/// </summary>
public sealed class DeskProcess : IAsyncDisposable
{
    private Process? _process;
    private readonly StringBuilder _output = new();

    private int _port;
    private bool _portGiven, _started, _advertised;

    /// <summary>
    /// The desk's loopback port. Chosen at the first start, and chosen again if another process took it in the
    /// meantime, unless it was handed out before the start (a proxy's configuration names it): then it is fixed.
    /// </summary>
    public int Port
    {
        get
        {
            _portGiven = true;
            return PortNow;
        }
    }

    private int PortNow => _port == 0 ? _port = FreePort() : _port;
    private string Url => $"http://127.0.0.1:{PortNow}";
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "phoenyra-browser-tests", Guid.NewGuid().ToString("N"));
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Extra environment for the process (keys, settings), applied on every start.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    /// <summary>Where the desk is started from (as <c>dotnet run</c> starts it in the repository root); the binary's folder by default.</summary>
    public string? WorkingDirectory { get; set; }

    public static string RepoRoot => RepoPaths.Root;

    public async Task Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnce();
                _started = true;
                return;
            }
            catch (InvalidOperationException) when (!_started && !_portGiven && attempt < 3 && _process is { HasExited: true, ExitCode: 3 } && Output.Contains("already in use"))
            {
                _port = FreePort(); // taken between choosing it and binding it: another one
            }
        }
    }

    private async Task StartOnce()
    {
        var start = new ProcessStartInfo(RepoPaths.DeskBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkingDirectory ?? Path.GetDirectoryName(RepoPaths.DeskBinary)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = Url;
        start.Environment["Phoenyra__DataDir"] = DataDir;
        start.Environment["Phoenyra__Auth__DemoKeys"] = "false";
        start.Environment["Phoenyra__Trading__DemoPrices__IntervalMs"] = "250";
        if (_advertised) start.Environment["Phoenyra__Cluster__AdvertisedUrl"] = Url;
        foreach (var (key, value) in Environment) start.Environment[key] = value;
        _process = Process.Start(start) ?? throw new InvalidOperationException("The desk did not start.");
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReady(TimeSpan.FromSeconds(60));
    }

    private int _keys;

    /// <summary>One more configured key (<c>Phoenyra:Auth:Keys</c>), as an operator lists it in the environment.</summary>
    public DeskProcess AddKey(string id, string role, string key)
    {
        Environment[$"Phoenyra__Auth__Keys__{_keys}__Id"] = id;
        Environment[$"Phoenyra__Auth__Keys__{_keys}__Role"] = role;
        Environment[$"Phoenyra__Auth__Keys__{_keys}__Key"] = key;
        _keys++;
        return this;
    }

    /// <summary>A client of the desk, with <paramref name="key"/> as <c>X-API-Key</c> when given.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        if (key is not null) client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    /// <summary>True when this desk is up and answers <c>/healthz/leader</c> with 200 (it leads).</summary>
    public async Task<bool> Leads()
    {
        if (ExitCode is not null) return false;
        using var http = Client();
        try { return (await http.GetAsync("/healthz/leader")).StatusCode == HttpStatusCode.OK; }
        catch (HttpRequestException) { return false; }
        catch (TaskCanceledException) { return false; }
    }

    /// <summary>Waits until this desk leads; how long that took. Throws with its output after <paramref name="limit"/>.</summary>
    public async Task<TimeSpan> WaitUntilLeader(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await Leads())
        {
            if (clock.Elapsed > limit) throw new TimeoutException($"{BaseUrl} did not lead within {limit}:\n{Output}");
            await Task.Delay(50);
        }
        return clock.Elapsed;
    }

    /// <summary>The desk of <paramref name="desks"/> that leads now, or null.</summary>
    public static async Task<DeskProcess?> LeaderOf(IEnumerable<DeskProcess> desks)
    {
        foreach (var desk in desks)
            if (await desk.Leads()) return desk;
        return null;
    }

    /// <summary>A member of a cluster of desks on the PostgreSQL <paramref name="store"/>, named <paramref name="node"/>, advertising its own address.</summary>
    public DeskProcess InCluster(string node, string store)
    {
        Environment["PHOENYRA_STORE"] = store;
        Environment["Phoenyra__Cluster__Enabled"] = "true";
        Environment["Phoenyra__Cluster__NodeId"] = node;
        _advertised = true; // its own address, set at each start
        return this;
    }

    /// <summary>SIGSTOP or SIGCONT: a process frozen (a long GC pause, a suspended VM) and thawed.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>The exit code once the process has exited by itself (null while it runs).</summary>
    /// <summary>The running process's id (for its CPU time in /proc).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The desk is not started.");

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>SIGKILL: no shutdown hooks run, as in a crash.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
    }

    private async Task WaitUntilReady(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                _process.WaitForExit(); // after the exit: waits for the last of stdout and stderr
                throw new InvalidOperationException($"The desk exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                // Serving: ok (200), or degraded (503) by a dependency a test makes fail on purpose.
                using var answer = await http.GetAsync($"{Url}/healthz");
                var status = await answer.Content.ReadAsStringAsync();
                if (status.Contains("\"status\":\"ok\"") || status.Contains("\"status\":\"degraded\"")) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The desk was not ready within {timeout}:\n{Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}
