using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests.Seeds;

/// <summary>
/// What a user of the original tools tries first: every curl command, request body and client
/// program of the seed documents, taken from the documents themselves (../shared/seeds) and run as
/// written against the desk, only the host and port pointed at the compatibility listeners and the
/// placeholder keys filled in. Each answer is checked against what the document shows.
/// </summary>
[Trait("Category", SharedData.Category)]
public sealed partial class SeedExampleTests(SeedDesk desk) : IClassFixture<SeedDesk>
{
    private const string Python3 = "/usr/bin/python3";

    [Fact]
    public async Task Seed000_PolicyReloadCurl_TelemetryBody_MetricNames_AndBothStreamClients()
    {
        var seed = SeedDocument.Load("000");

        var reload = Assert.Single(seed.Curls());
        var (status, body) = await Curl(reload.Command);
        Assert.True(status == 200 && body.Contains("\"applied\":true"), $"{reload.Command} → {status} {body}");

        var telemetry = seed.Block("json", "\"soc_percent\"");
        var posted = await desk.Client(9000, SeedDesk.DeviceKey).PostAsync("/telemetry/bess", new StringContent(telemetry.Text, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(posted.StatusCode == HttpStatusCode.Accepted, $"{(int)posted.StatusCode} {await posted.Content.ReadAsStringAsync()}");
        var bess = await desk.Client(9000, SeedDesk.ViewerKey).GetFromJsonAsync<JsonElement>("/api/bess-status");
        Assert.Equal(3.8, bess.GetProperty("active_power_mw").GetDouble());
        Assert.Equal(72.5, bess.GetProperty("soc_percent").GetDouble());

        // EMA and VWAP are of trade prices: a trade first, then every name the seed's tables and panels use.
        await desk.Client(9000, SeedDesk.TraderKey).PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, type = "market", tif = "ioc" });
        var named = MetricNameRegex().Matches(seed.Text).Select(m => m.Value).Distinct().ToList();
        Assert.True(named.Count >= 10, string.Join(", ", named));
        List<string> absent;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            var metrics = await desk.Client(9000, SeedDesk.ViewerKey).GetStringAsync("/metrics");
            absent = named.Where(name => !Regex.IsMatch(metrics, $"(?m)^{name}[{{ ]")).ToList();
        } while (absent.Count > 0 && DateTime.UtcNow < deadline && await Delay());
        Assert.True(absent.Count == 0, $"not on /metrics: {string.Join(", ", absent)}");

        Assert.Equal(HttpStatusCode.OK, (await desk.Client(9000, null).GetAsync("/docs")).StatusCode);

        await ThePythonClientVerifiesTheOrdersStream(seed.Block("python", "websockets.connect"));
        await TheNodeFunctionVerifiesFrames(seed.Block("js", "createHmac"));
    }

    /// <summary>The seed's Python client, as written: it connects, verifies each message with phoenyra_demo_secret and prints "Signature OK".</summary>
    private async Task ThePythonClientVerifiesTheOrdersStream(CodeBlock client)
    {
        var script = desk.Rehost(client.Text).Replace("<KEY>", SeedDesk.TraderKey, StringComparison.Ordinal); // /ws/orders is the key's own orders
        using var python = new ChildProcess(Python3, ["-u", "-c", script]); // -u: its prints arrive as they happen
        using var trader = desk.Client(9000, SeedDesk.TraderKey);
        var printed = false;
        for (var i = 0; i < 20 && !printed; i++)
        {
            await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price = 10 + i });
            printed = await python.Printed("Signature OK", 3, TimeSpan.FromMilliseconds(500));
        }
        Assert.True(printed, $"stdout:\n{python.Stdout}\nstderr:\n{python.Stderr}");
        Assert.DoesNotContain("Invalid HMAC", python.Stderr);
    }

    /// <summary>The seed's Node function, as written, called on frames read from the stream.</summary>
    private async Task TheNodeFunctionVerifiesFrames(CodeBlock function)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{desk.Ports[9000]}/ws/orders?api_key={SeedDesk.TraderKey}"), CancellationToken.None);
        using var trader = desk.Client(9000, SeedDesk.TraderKey);
        var frames = new List<string>();
        while (frames.Count < 3)
        {
            await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price = 11 });
            frames.Add(await StreamVerifierTests.Receive(socket));
        }
        var program = function.Text + """

            import readline from "readline";
            for await (const line of readline.createInterface({ input: process.stdin })) {
              const message = JSON.parse(line);
              console.log(verify(message.meta, message.data, "phoenyra_demo_secret") ? "ok" : "false");
            }
            """;
        var file = Path.Combine(desk.Desk.DataDir, "seed000-verify.mjs");
        await File.WriteAllTextAsync(file, program);
        using var node = await ChildProcess.Run("node", [file], TimeSpan.FromSeconds(30), stdin: string.Join('\n', frames) + "\n");

        Assert.True(node.ExitCode == 0, node.Stderr);
        Assert.Equal(["ok", "ok", "ok"], node.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Seed001_TheWebAppsApiEndpoints_AndItsDashboardAddress()
    {
        var seed = SeedDocument.Load("001");
        var endpoints = EndpointRegex().Matches(seed.Text).Select(m => (Method: m.Groups[1].Value, Path: m.Groups[2].Value)).ToList();
        Assert.Equal(6, endpoints.Count);

        var failures = new List<string>();
        foreach (var (method, path) in endpoints)
        {
            var response = (method, path) switch
            {
                ("GET", _) => await desk.Client(5000, SeedDesk.ViewerKey).GetAsync(path),
                ("POST", "/api/orders") => await desk.Client(5000, SeedDesk.TraderKey).PostAsJsonAsync(path, new { side = "buy", quantity = 1, price = 20, market = "DE-ID-60" }),
                ("POST", "/api/telemetry") => await desk.Client(5000, SeedDesk.DeviceKey).PostAsJsonAsync(path, new { soc_percent = 55, active_power_mw = -2.5, temperature_c = 24 }),
                _ => throw new InvalidOperationException($"seed 001 lists {method} {path}, which this test does not know"),
            };
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || JsonDocument.Parse(text).RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                failures.Add($"{method} {path} → {(int)response.StatusCode} {text}");
        }
        Assert.Empty(failures);

        // The web app's address (port 5000) opens the dashboard: its sign-in page asks for the key.
        using var browser = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{desk.Ports[5000]}") };
        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("api_key", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Seed002_TheFlashArbPaths_WithTheKeyHeader_AndItsMetricNames()
    {
        var seed = SeedDocument.Load("002");
        var fetchLine = seed.Text.Split('\n').Single(l => l.Contains("Fetch `/healthz`", StringComparison.Ordinal));
        var paths = BacktickPathRegex().Matches(fetchLine).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/healthz", "/pnl", "/trades", "/orders/open", "/metrics"], paths);

        var failures = new List<string>();
        foreach (var path in paths)
        {
            var anonymous = await desk.Client(8000, null).GetAsync(path);
            var expected = path == "/healthz" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized; // "require a shared secret in the X-API-Key header"
            if (anonymous.StatusCode != expected) failures.Add($"{path} without a key → {(int)anonymous.StatusCode}");
            var keyed = await desk.Client(8000, SeedDesk.TraderKey).GetAsync(path);
            if (keyed.StatusCode != HttpStatusCode.OK) failures.Add($"{path} with X-API-Key → {(int)keyed.StatusCode} {await keyed.Content.ReadAsStringAsync()}");
        }
        Assert.Empty(failures);

        var metrics = await desk.Client(8000, SeedDesk.ViewerKey).GetStringAsync("/metrics");
        foreach (var name in new[] { "trades_blocked", "profit_negative", "daily_loss" })
        {
            Assert.Contains($"`{name}`", seed.Text);
            Assert.True(Regex.IsMatch(metrics, $"(?m)^[a-z_]*{name}[a-z_]*[{{ ]"), $"{name} is not on /metrics"); // e.g. trades_blocked_by_limit_total
        }

        var ui = await desk.Client(8000, null).GetAsync("/ui");   // "browse to http://localhost:8000/ui"
        Assert.Equal(HttpStatusCode.Redirect, ui.StatusCode);
        Assert.Equal("/flash-arb", ui.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Seed003And004_EveryCurlCommand_TheHealthScript_AndThePythonClient()
    {
        var curls = SeedDocument.Load("003").Curls().Concat(SeedDocument.Load("004").Curls()).ToList();
        Assert.Equal(2 + 13, curls.Count);

        var failures = new List<string>();
        foreach (var example in curls)
        {
            var (status, body) = await Curl(example.Command);
            if (!KeyHeaderRegex().IsMatch(example.Command) && !example.Command.Contains("/health", StringComparison.Ordinal))
            {
                // The seed's key was optional; Phoenyra always asks for one, and says how.
                if (status != 401 || !body.Contains("X-API-Key", StringComparison.Ordinal)) failures.Add($"line {example.Line}, as written: {example.Command} → {status} {body}");
                (status, body) = await Curl($"{example.Command} -H 'X-API-Key: {SeedDesk.TraderKey}'");
            }
            if (status is < 200 or > 299) failures.Add($"line {example.Line}: {example.Command} → {status} {body}");
            else if (example.DocumentedResponse is { } documented && JsonShape.Missing(documented.Text, body) is { Count: > 0 } missing)
                failures.Add($"line {example.Line}: {example.Command} lacks {string.Join(", ", missing)} of the documented answer: {body}");
        }
        Assert.Empty(failures);

        var seed = SeedDocument.Load("004");
        using var health = await ChildProcess.Run("/bin/bash", ["-c", desk.Rehost(seed.Block("bash", "#!/bin/bash").Text)], TimeSpan.FromSeconds(30));
        Assert.True(health.ExitCode == 0, health.Stdout + health.Stderr);
        Assert.StartsWith("OK: Strategy healthy", health.Stdout);

        var client = desk.Rehost(seed.Block("python", "class HedgeGridClient").Text).Replace("api_key=\"secret\"", $"api_key=\"{SeedDesk.TraderKey}\"", StringComparison.Ordinal);
        using var python = await ChildProcess.Run(Python3, ["-c", client], TimeSpan.FromSeconds(30));
        Assert.True(python.ExitCode == 0, python.Stderr);
        Assert.Matches(@"^Total PnL: -?\d+(\.\d+)? USDT", python.Stdout);
    }

    [Fact]
    public async Task Seed004_TheLaddersOfARunningGrid_HaveTheDocumentedRungs()
    {
        var documented = SeedDocument.Load("004").Blocks.First(b => b.Language == "json" && b.Text.Contains("\"long_ladder\"", StringComparison.Ordinal));
        using var api = desk.Client(8080, SeedDesk.TraderKey);
        Assert.True((await api.PostAsync("/start", null)).IsSuccessStatusCode);
        try
        {
            string ladders;
            var deadline = DateTime.UtcNow.AddSeconds(20);
            do
            {
                await Task.Delay(200);
                ladders = await api.GetStringAsync("/ladders");
            } while (JsonDocument.Parse(ladders).RootElement.GetProperty("long_ladder").GetArrayLength() == 0 && DateTime.UtcNow < deadline);

            Assert.NotEqual(0, JsonDocument.Parse(ladders).RootElement.GetProperty("long_ladder").GetArrayLength());
            Assert.Empty(JsonShape.Missing(documented.Text, ladders));
        }
        finally
        {
            await api.PostAsync("/stop", null);
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }

    /// <summary>Runs a seed's curl command with curl itself; only the address and the placeholder keys change.</summary>
    private async Task<(int Status, string Body)> Curl(string command)
    {
        var line = desk.Rehost(WithKeys(command)) + " -sS -w '\\n%{http_code}'";
        using var curl = await ChildProcess.Run("/bin/bash", ["-c", line], TimeSpan.FromSeconds(30));
        var output = curl.Stdout.TrimEnd('\n');
        var cut = output.LastIndexOf('\n');
        return int.TryParse(output[(cut + 1)..], out var status) ? (status, cut < 0 ? "" : output[..cut]) : (0, output + curl.Stderr);
    }

    private static string WithKeys(string text) => text
        .Replace("<ADMIN_KEY>", SeedDesk.AdminKey, StringComparison.Ordinal)
        .Replace("your_secret_key_here", SeedDesk.TraderKey, StringComparison.Ordinal)
        .Replace("correct_key_here", SeedDesk.TraderKey, StringComparison.Ordinal)
        .Replace("your_key", SeedDesk.TraderKey, StringComparison.Ordinal);

    [GeneratedRegex(@"\bpho_[a-z_]+[a-z]\b")]
    private static partial Regex MetricNameRegex();

    [GeneratedRegex(@"\*\*(GET|POST) (/api/[\w/-]+)\*\*")]
    private static partial Regex EndpointRegex();

    [GeneratedRegex(@"`(/[\w/]+)`")]
    private static partial Regex BacktickPathRegex();

    [GeneratedRegex("X-API-KEY:", RegexOptions.IgnoreCase)]
    private static partial Regex KeyHeaderRegex();
}
