using System.Net.WebSockets;
using System.Text;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary over real TCP: an order-entry client that sends and never reads cannot make the
/// desk queue replies without end, nor hold its connection for ever: once a frame of answers cannot go
/// out within <c>SendTimeoutSeconds</c>, or <c>MaxQueuedNotices</c> wait, it is disconnected, and the metric counts it.
/// </summary>
public sealed class OrderEntryBoundsTests
{
    private const string TraderKey = "bounds-trader-key-0123456789abcdef";

    [Theory]
    [InlineData("SendTimeoutSeconds", "2", "{\"op\":\"nonsense\"}")] // answers hold order slots: the desk stops reading, the frame cannot leave
    [InlineData("MaxQueuedNotices", "200", "[1,2")] // answers to unparsable messages hold no slot: their number is capped
    public async Task AClientThatNeverReads_IsDisconnected_OnceItsRepliesCannotGoOut_AndItIsCounted(string limit, string value, string message)
    {
        await using var desk = new DeskProcess();
        desk.Environment["API_KEY"] = TraderKey;
        desk.Environment["Phoenyra__Trading__OrderEntry__SendTimeoutSeconds"] = "3600";
        desk.Environment[$"Phoenyra__Trading__OrderEntry__{limit}"] = value;
        await desk.Start();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("X-API-Key", TraderKey);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{desk.Port}/ws/order-entry"), CancellationToken.None);

        // Each malformed message earns an answer; the client never reads one.
        var malformed = Encoding.UTF8.GetBytes(message);
        var sent = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            while (!deadline.IsCancellationRequested && sent < 2_000_000)
            {
                await socket.SendAsync(malformed, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
                sent++;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException) { }

        using var viewer = desk.Client(TraderKey);
        var metrics = "";
        for (var i = 0; i < 100 && !metrics.Contains("pho_order_entry_disconnects_total{reason=\"not_reading\"} 1"); i++, await Task.Delay(100))
            metrics = await viewer.GetStringAsync("/metrics");
        Assert.True(metrics.Contains("pho_order_entry_disconnects_total{reason=\"not_reading\"} 1"), $"not disconnected after {sent} unread messages");
        Assert.Contains("pho_order_entry_connections 0", metrics);
    }
}
