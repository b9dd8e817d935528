using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Phoenyra.Streams.Hub;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Tests;

/// <summary>Over real loopback sockets with small buffers: a client that stops reading is dropped; the publisher and other clients carry on.</summary>
public sealed class SlowConsumerTests
{
    private const int QueueLimit = 64;
    private const int Events = 20_000;

    [Fact]
    public async Task AStalledClient_IsDroppedWithACloseReason_WhileThePublisherAndAHealthyClientCarryOn()
    {
        var options = Options.Create(new StreamOptions { HmacKeys = { ["k1"] = "a-test-secret-of-16+" }, QueueLimit = QueueLimit });
        // HS256 only here: the ES256 key (and so the store) is never loaded.
        var signer = new StreamSigner(options, new EcSigningKey(null!, TimeProvider.System), NullLogger<StreamSigner>.Instance);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new StreamMetrics(services.GetRequiredService<IMeterFactory>());
        var channel = new StreamChannel("market", 100, metrics, TimeProvider.System);

        var (stalledServer, stalledClient) = await SocketPair();
        var (healthyServer, healthyClient) = await SocketPair();
        var stalled = new StreamConnection(stalledServer, "market", SignatureAlgorithm.HS256, signer, metrics, TimeProvider.System, QueueLimit);
        // The healthy reader keeps up on average but not with a tight loop of 20,000 appends, so it gets headroom.
        var healthy = new StreamConnection(healthyServer, "market", SignatureAlgorithm.HS256, signer, metrics, TimeProvider.System, Events);
        channel.Attach(stalled, null, true);
        channel.Attach(healthy, null, true);
        var runs = new[] { stalled.Run(CancellationToken.None), healthy.Run(CancellationToken.None) };
        var healthyReads = ReadAll(healthyClient);

        var padding = new string('x', 200);
        for (var i = 0; i < Events; i++)
            channel.Append(seq => new CanonicalJson().Integer("seq", seq).String("type", "test").String("pad", padding).ToUtf8());

        Assert.StartsWith("slow consumer", stalled.DropReason);
        Assert.Null(healthy.DropReason);

        var (stalledFrames, closeStatus, closeReason) = await ReadAll(stalledClient);
        Assert.True(stalledFrames < Events, $"{stalledFrames} frames reached the stalled client");
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closeStatus);
        Assert.StartsWith("slow consumer", closeReason);

        await healthyClient.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { });
        var (healthyFrames, _, _) = await healthyReads;
        Assert.Equal(Events, healthyFrames);
        await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Reads until the server closes; counts frames (the healthy reader closes itself after the last event).</summary>
    private static async Task<(int Frames, WebSocketCloseStatus? Status, string? Reason)> ReadAll(WebSocket socket)
    {
        var buffer = new byte[4096];
        var frames = 0;
        var text = new StringBuilder();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                if (result.MessageType == WebSocketMessageType.Close) return (frames, result.CloseStatus, result.CloseStatusDescription);
                if (result.EndOfMessage) frames++;
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException)
        {
            return (frames, null, ex.Message);
        }
    }

    /// <summary>A real TCP connection with small kernel buffers, framed as WebSockets on both ends.</summary>
    internal static async Task<(WebSocket Server, WebSocket Client)> SocketPair()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        var accept = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var server = await accept;
        server.SendBufferSize = 4096;
        return (WebSocket.CreateFromStream(new NetworkStream(server, ownsSocket: true), new WebSocketCreationOptions { IsServer = true }),
                WebSocket.CreateFromStream(new NetworkStream(client, ownsSocket: true), new WebSocketCreationOptions { IsServer = false }));
    }
}
