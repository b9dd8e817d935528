using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary: a browser opens a stream with a one-time ticket instead of its key in the URL;
/// a ticket works once; a key cannot pile them up; and a key a client does put in the URL never
/// reaches the desk's logs, even with request logging on.
/// </summary>
public sealed class StreamTicketTests : IAsyncLifetime
{
    private const string ViewerKey = "ticket-viewer-key-0123456789abcdef";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["Phoenyra__Auth__Keys__0__Id"] = "ticket-viewer";
        _desk.Environment["Phoenyra__Auth__Keys__0__Role"] = "viewer";
        _desk.Environment["Phoenyra__Auth__Keys__0__Key"] = ViewerKey;
        _desk.Environment["Logging__LogLevel__Microsoft.AspNetCore.Hosting"] = "Information"; // logs each request line with its query
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public async Task ATicketOpensOneStream_Once_AsItsKey()
    {
        using var viewer = _desk.Client(ViewerKey);
        var issued = await viewer.PostAsync("/api/streams/ticket", null);
        Assert.Equal(HttpStatusCode.OK, issued.StatusCode);
        var ticket = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!;

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/orders?ticket={ticket}"), CancellationToken.None);
        var hello = JsonDocument.Parse(await Receive(socket)).RootElement.GetProperty("data");
        Assert.Equal("hello", hello.GetProperty("type").GetString());
        Assert.Equal("ticket-viewer", hello.GetProperty("connection").GetProperty("account").GetString());

        using var again = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => again.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/orders?ticket={ticket}"), CancellationToken.None));
        Assert.Contains("401", refused.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _desk.Client().PostAsync("/api/streams/ticket", null)).StatusCode);
    }

    [Fact]
    public async Task AKeyHoldsAtMost16UnusedTickets()
    {
        using var viewer = _desk.Client(ViewerKey);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 17; i++) answers.Add((await viewer.PostAsync("/api/streams/ticket", null)).StatusCode);

        Assert.Equal(16, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }

    [Fact]
    public async Task AKeyInAStreamUrl_IsRedactedInTheDesksLogs()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/market?api_key={ViewerKey}"), CancellationToken.None);
        await Receive(socket);

        for (var i = 0; i < 50 && !_desk.Output.Contains("api_key=***"); i++) await Task.Delay(100);
        Assert.Contains("/ws/market?api_key=***", _desk.Output);
        Assert.DoesNotContain(ViewerKey, _desk.Output);
        var logFile = Directory.GetFiles(Path.Combine(_desk.DataDir, "logs"), "phoenyra-*.log").Single();
        using var reader = new StreamReader(new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.DoesNotContain(ViewerKey, await reader.ReadToEndAsync());
    }

    private static async Task<string> Receive(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }
}
