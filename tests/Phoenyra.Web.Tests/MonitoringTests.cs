using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The shipped monitoring, run for real on loopback: Debian's prometheus scrapes the desk with the
/// shipped configuration and rules (intervals and <c>for</c> shortened), Debian's alertmanager routes
/// with the shipped configuration to the desk's webhook. Every dashboard query returns data; low-SoC
/// telemetry makes LowSoCWarning pending, then firing, and the desk goes reducing. Alertmanager's
/// own API asks for the shipped basic auth (Prometheus signs in); an anonymous caller is refused.
/// </summary>
public sealed partial class MonitoringTests : IAsyncLifetime
{
    private const string ViewerKey = "monitoring-viewer-key-0123456789abcdef";
    private const string AdminKey = "monitoring-admin-key-0123456789abcdef0";
    private const string TraderKey = "monitoring-trader-key-0123456789abcdef";
    private const string DeviceKey = "monitoring-device-key-0123456789abcdef";
    private const string AlertmanagerKey = "monitoring-alertmanager-key-0123456789ab";
    private const string AlertmanagerPassword = "monitoring-alertmanager-password-0123";
    private readonly DeskProcess _desk = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phoenyra-monitoring", Guid.NewGuid().ToString("N"));
    private readonly List<Process> _servers = [];
    private readonly System.Text.StringBuilder _serverLog = new();
    private int _prometheusPort, _alertmanagerPort;

    private static string Tool(string variable, string name) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured ? configured
        : File.Exists(RepoPaths.File($".tools/bin/{name}")) ? RepoPaths.File($".tools/bin/{name}") : name;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _desk.Environment["ADMIN_KEY"] = AdminKey;
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.AddKey("prometheus", "viewer", ViewerKey);
        _desk.AddKey("site-1", "device", DeviceKey);
        _desk.AddKey("alertmanager-hook", "alertmanager", AlertmanagerKey);
        await _desk.Start();
        do _prometheusPort = DeskProcess.FreePort(); while (_prometheusPort == _desk.Port);
        do _alertmanagerPort = DeskProcess.FreePort(); while (_alertmanagerPort == _desk.Port || _alertmanagerPort == _prometheusPort);

        await File.WriteAllTextAsync(Path.Combine(_folder, "viewer.key"), ViewerKey);
        await File.WriteAllTextAsync(Path.Combine(_folder, "alertmanager.key"), AlertmanagerKey);
        await File.WriteAllTextAsync(Path.Combine(_folder, "alertmanager.password"), AlertmanagerPassword);
        await File.WriteAllTextAsync(Path.Combine(_folder, "web.yml"), $"basic_auth_users:\n  prometheus: {Bcrypt(AlertmanagerPassword)}\n");
        await File.WriteAllTextAsync(Path.Combine(_folder, "prometheus.yml"), Shipped("prometheus/prometheus.yml",
            ("scrape_interval: 15s", "scrape_interval: 1s"), ("evaluation_interval: 15s", "evaluation_interval: 1s"),
            ("/etc/prometheus/phoenyra-viewer.key", Path.Combine(_folder, "viewer.key")),
            ("/etc/prometheus/alertmanager.password", Path.Combine(_folder, "alertmanager.password")),
            ("\"localhost:5080\"", $"\"127.0.0.1:{_desk.Port}\""), ("\"localhost:9093\"", $"\"127.0.0.1:{_alertmanagerPort}\"")));
        // The rules as shipped, but waiting seconds where they wait minutes.
        await File.WriteAllTextAsync(Path.Combine(_folder, "alerts.yml"), ForPattern().Replace(await File.ReadAllTextAsync(RepoPaths.File("deploy/prometheus/alerts.yml")), "for: 3s"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "alertmanager.yml"), Shipped("alertmanager/alertmanager.yml",
            ("http://localhost:5080/admin/alerts", $"http://127.0.0.1:{_desk.Port}/admin/alerts"),
            ("/etc/alertmanager/phoenyra-alertmanager.key", Path.Combine(_folder, "alertmanager.key")),
            ("group_wait: 10s", "group_wait: 1s"), ("group_interval: 1m", "group_interval: 1s")));

        Start(Tool("ALERTMANAGER", "prometheus-alertmanager"), $"--config.file={_folder}/alertmanager.yml --storage.path={_folder}/am --web.listen-address=127.0.0.1:{_alertmanagerPort} --cluster.listen-address= --web.config.file={_folder}/web.yml");
        Start(Tool("PROMETHEUS", "prometheus"), $"--config.file={_folder}/prometheus.yml --storage.tsdb.path={_folder}/tsdb --web.listen-address=127.0.0.1:{_prometheusPort}");
        await Eventually(async () => (await Query("up{job=\"phoenyra\"} == 1")).Count == 1, "Prometheus never scraped the desk");
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            try { server.Kill(entireProcessTree: true); await server.WaitForExitAsync(); } catch (InvalidOperationException) { }
            server.Dispose();
        }
        await _desk.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task EveryDashboardQuery_ReturnsDataFromTheDesk()
    {
        await MakeActivity();
        var failures = new List<string>();
        foreach (var file in Directory.GetFiles(RepoPaths.File("deploy/grafana/dashboards"), "*.json"))
            foreach (var panel in JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("panels").EnumerateArray())
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    var expr = target.GetProperty("expr").GetString()!;
                    var result = await QueryWhenPresent(expr);
                    if (result.Count == 0) failures.Add($"{Path.GetFileName(file)} · {panel.GetProperty("title").GetString()}: {expr}");
                }
        Assert.True(failures.Count == 0, "queries without data:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task LowSoC_GoesPendingThenFiring_AndAlertmanagerPutsTheDeskInReducingMode()
    {
        using var device = _desk.Client(DeviceKey);
        using var admin = _desk.Client(AdminKey);
        var states = new List<string>();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var feeding = Task.Run(async () =>
        {
            while (!reading.IsCancellationRequested)
            {
                await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 12.0, active_power_mw = 0.0, temperature_c = 25.0 });
                await Task.Delay(500);
            }
        });

        await Eventually(async () =>
        {
            var alerts = (await Prometheus<JsonElement>("/api/v1/alerts")).GetProperty("data").GetProperty("alerts").EnumerateArray()
                .Where(a => a.GetProperty("labels").GetProperty("alertname").GetString() == "LowSoCWarning").Select(a => a.GetProperty("state").GetString()!);
            foreach (var state in alerts) if (!states.Contains(state)) states.Add(state);
            return states.Contains("firing");
        }, "LowSoCWarning never fired", TimeSpan.FromMilliseconds(200));
        await Eventually(async () => (await admin.GetFromJsonAsync<JsonElement>("/admin/desk")).GetProperty("trading_state").GetString() == "reducing",
            "Alertmanager's delivery never put the desk in reducing mode", detail: ServerLog);
        await reading.CancelAsync();
        await feeding;

        Assert.Equal(["pending", "firing"], states);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?actor=alertmanager&action=alert.reduce");
        Assert.Contains("LowSoCWarning", audit.GetProperty("entries")[0].GetProperty("after").GetString());
        var received = await admin.GetFromJsonAsync<JsonElement>("/admin/alerts");
        Assert.Contains(received.GetProperty("alerts").EnumerateArray(), a => a.GetProperty("name").GetString() == "LowSoCWarning" && a.GetProperty("action").GetString() == "reduce");
    }

    // Orders that trade against the simulated maker, one denial, telemetry and a guard change: every family the dashboards read exists.
    private async Task MakeActivity()
    {
        using var trader = _desk.Client(TraderKey);
        using var device = _desk.Client(DeviceKey);
        for (var i = 0; i < 20; i++)
        {
            await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = i % 2 == 0 ? "buy" : "sell", type = "market", quantity = 0.5 });
            await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = i < 10 ? 50.0 : 12.0, active_power_mw = 0.1, temperature_c = 25.0 });
        }
        await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 60, price = 50 });
        await Task.Delay(TimeSpan.FromSeconds(4)); // a few scrapes, so rate() has two samples
    }

    private async Task<List<JsonElement>> QueryWhenPresent(string expr)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var result = await Query(expr);
            if (result.Count > 0) return result;
            await Task.Delay(500);
        }
        return [];
    }

    private async Task<List<JsonElement>> Query(string expr)
    {
        var answer = await Prometheus<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(expr)}");
        Assert.True(answer.GetProperty("status").GetString() == "success", $"{expr}: {answer}");
        return answer.GetProperty("data").GetProperty("result").EnumerateArray().ToList();
    }

    private async Task<T> Prometheus<T>(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_prometheusPort}") };
        return (await http.GetFromJsonAsync<T>(path))!;
    }

    /// <summary>A bcrypt hash as deploy/compose.yaml's instructions make it (Python's crypt, glibc's blowfish).</summary>
    private static string Bcrypt(string password)
    {
        var python = Process.Start(new ProcessStartInfo("python3", ["-c", "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", password])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var hash = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        return hash.StartsWith("$2", StringComparison.Ordinal) ? hash : throw new InvalidOperationException($"no bcrypt hash: {python.StandardError.ReadToEnd()}");
    }

    [Fact]
    public async Task AlertmanagersApi_RefusesAnAnonymousAlert_AndAcceptsPrometheussPassword()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_alertmanagerPort}") };
        object[] alert = [new { labels = new { alertname = "HaltEverything", phoenyra_action = "halt" } }];

        var anonymous = await http.PostAsJsonAsync("/api/v2/alerts", alert);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"prometheus:{AlertmanagerPassword}")));
        var signedIn = await http.GetAsync("/api/v2/status");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, signedIn.StatusCode);
    }

    private void Start(string binary, string arguments)
    {
        var server = Process.Start(new ProcessStartInfo(binary, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{binary} did not start");
        void Log(string? line) { if (line is not null) lock (_serverLog) _serverLog.AppendLine($"{Path.GetFileName(binary)}: {line}"); }
        server.OutputDataReceived += (_, e) => Log(e.Data);
        server.ErrorDataReceived += (_, e) => Log(e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        _servers.Add(server);
    }

    private string ServerLog()
    {
        lock (_serverLog) return _serverLog.ToString()[^Math.Min(4000, _serverLog.Length)..];
    }

    private static string Shipped(string file, params (string From, string To)[] changes)
    {
        var text = File.ReadAllText(RepoPaths.File(Path.Combine("deploy", file)));
        foreach (var (from, to) in changes)
        {
            Assert.True(text.Contains(from), $"deploy/{file} no longer contains '{from}': update this test with it");
            text = text.Replace(from, to);
        }
        return text;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string failure, TimeSpan? every = null, Func<string>? detail = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try { if (await condition()) return; }
            catch (HttpRequestException) { }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(500));
        }
        Assert.Fail(failure + (detail is null ? "" : "\n" + detail()));
    }

    [GeneratedRegex(@"for: \d+m")]
    private static partial Regex ForPattern();
}
