using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The store is the source of truth for keys: the keys CLI works on the live store of a running
/// desk, and what it changes takes effect there within seconds — a revoked key's streams close.
/// </summary>
public sealed partial class KeyLifecycleTests : IAsyncLifetime
{
    private const string AdminKey = "lifecycle-admin-key-0123456789abcdef";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["ADMIN_KEY"] = AdminKey;
        _desk.Environment["Phoenyra__Auth__KeyRefreshSeconds"] = "0.5";
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public async Task KeysCli_OnTheStoreOfARunningDesk_CreatesAKeyTheDeskAccepts_AndARevokeClosesItsStream()
    {
        var (code, output, error) = await Cli("keys", "create", "--id", "ops-bot", "--role", "viewer");
        Assert.True(code == 0, error);
        var secret = SecretLine().Match(output).Value;
        using var http = new HttpClient { BaseAddress = new Uri(_desk.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-API-Key", secret);
        await Eventually(async () => (await http.GetAsync("/api/positions")).StatusCode == HttpStatusCode.OK, "the desk never accepted the key the CLI created");

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/market?api_key={Uri.EscapeDataString(secret)}"), CancellationToken.None);
        var (listCode, list, _) = await Cli("keys", "list");
        Assert.Equal(0, listCode);
        Assert.Contains("ops-bot", list);

        Assert.Equal(0, (await Cli("keys", "revoke", "--id", "ops-bot")).Code);

        var close = await ReadUntilClosed(socket);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.Status);
        Assert.Equal("the API key was revoked", close.Description);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/positions")).StatusCode);
    }

    [Fact]
    public async Task RevokeWithCancelOrders_CancelsTheKeysRestingOrders_AtOnceOnARunningDesk_AndAtTheNextStartOtherwise()
    {
        var running = await TraderWithRestingBid("bot-running");
        var down = await TraderWithRestingBid("bot-down");
        var kept = await TraderWithRestingBid("bot-kept");
        using var admin = _desk.Client(AdminKey);

        var (code, output, _) = await Cli("keys", "revoke", "--id", "bot-running", "--cancel-orders");
        Assert.Equal(0, code);
        Assert.Contains("cancels its resting orders", output);
        await Eventually(async () => !(await OpenOrderIds(admin)).Contains(running), "the running desk kept the revoked key's resting order");

        _desk.Kill();
        Assert.Equal(0, (await Cli("keys", "revoke", "--id", "bot-down", "--cancel-orders")).Code);
        Assert.Equal(0, (await Cli("keys", "revoke", "--id", "bot-kept")).Code);
        await _desk.Start();

        await Eventually(async () => !(await OpenOrderIds(admin)).Contains(down), "the journal restored the revoked key's order and the start did not cancel it");
        Assert.Contains(kept, await OpenOrderIds(admin));
        string[] audited = [];
        await Eventually(async () =>
        {
            var audit = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=key.cancel_orders");
            audited = audit.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("actor").GetString()}:{JsonDocument.Parse(e.GetProperty("after").GetString()!).RootElement.GetProperty("id").GetString()}").Order().ToArray();
            return audited.Length == 2;
        }, "each cancel is audited");
        Assert.Equal(["cli:bot-down", "cli:bot-running"], audited);
    }

    private async Task<long> TraderWithRestingBid(string id)
    {
        var (code, output, error) = await Cli("keys", "create", "--id", id, "--role", "trader");
        Assert.True(code == 0, error);
        using var trader = _desk.Client(SecretLine().Match(output).Value);
        HttpResponseMessage? placed = null;
        await Eventually(async () => (placed = await trader.PostAsJsonAsync("/api/orders",
            new { market = "DE-ID-60", side = "buy", quantity = 0.1, price = 1.0, type = "limit", tif = "gtc" })).StatusCode == HttpStatusCode.OK,
            "the desk never took the new trader's bid");
        return (await placed!.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static async Task<List<long>> OpenOrderIds(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60")).EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();

    [Fact]
    public async Task Streams_AreCappedPerKey_BeforeTheUpgrade()
    {
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 16; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/market?api_key={AdminKey}"), CancellationToken.None);
            sockets.Add(socket);
        }

        using var oneTooMany = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => oneTooMany.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/market?api_key={AdminKey}"), CancellationToken.None));
        Assert.Contains("429", refused.Message);

        await sockets[0].CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        sockets[0].Dispose();
        using var again = new ClientWebSocket();
        await Eventually(async () =>
        {
            try { await again.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/market?api_key={AdminKey}"), CancellationToken.None); return true; }
            catch (WebSocketException) { return false; }
        }, "a closed connection did not free its place", once: true);
        foreach (var socket in sockets.Skip(1)) socket.Dispose();
    }

    [Fact]
    public async Task KeysCli_RefusesAnIdTheDeskUsesAsAnAccount()
    {
        var (code, _, error) = await Cli("keys", "create", "--id", "sim-mm", "--role", "trader");

        Assert.Equal(2, code);
        Assert.Contains("'sim-mm' is reserved for the simulated market maker", error);
    }

    private async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        var start = new ProcessStartInfo(RepoPaths.DeskBinary) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Phoenyra__DataDir"] = _desk.DataDir;
        start.Environment["ADMIN_KEY"] = AdminKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<(WebSocketCloseStatus? Status, string? Description)> ReadUntilClosed(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close) return (result.CloseStatus, result.CloseStatusDescription);
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string message, bool once = false)
    {
        for (var attempt = 0; attempt < (once ? 20 : 100); attempt++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail(message);
    }

    [GeneratedRegex("pho_[A-Za-z0-9_-]+")]
    private static partial Regex SecretLine();
}
