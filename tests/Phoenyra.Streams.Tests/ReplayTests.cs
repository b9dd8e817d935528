using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Phoenyra.Streams.Hub;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams.Tests;

/// <summary>A resuming client gets at most the replay limit (the newest), a gap for the rest, and the stream never waits on its signing.</summary>
public sealed class ReplayTests
{
    [Fact]
    public async Task ResumingFarBehind_ReplaysOnlyTheNewestUpToTheLimit_AfterAGap_ThenLiveEventsInOrder()
    {
        var options = Options.Create(new StreamOptions { HmacKeys = { ["k1"] = "a-test-secret-of-16+" } });
        var signer = new StreamSigner(options, new EcSigningKey(null!, TimeProvider.System), NullLogger<StreamSigner>.Instance);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new StreamMetrics(services.GetRequiredService<IMeterFactory>());
        var channel = new StreamChannel("market", retain: 500, metrics, TimeProvider.System, replayLimit: 50);
        for (var i = 0; i < 400; i++) channel.Append(seq => new CanonicalJson().Integer("seq", seq).String("type", "test").ToUtf8());

        var (server, client) = await SlowConsumerTests.SocketPair();
        var connection = new StreamConnection(server, "market", SignatureAlgorithm.HS256, signer, metrics, TimeProvider.System, 1024, "viewer-1");
        channel.Attach(connection, since: 10, sameEpoch: true);
        channel.Append(seq => new CanonicalJson().Integer("seq", seq).String("type", "live").ToUtf8());
        var run = connection.Run(CancellationToken.None);

        var gap = JsonDocument.Parse(await Receive(client)).RootElement.GetProperty("data");
        Assert.Equal("gap", gap.GetProperty("type").GetString());
        Assert.Equal(351, gap.GetProperty("next_seq").GetInt64());
        Assert.Contains("events 11..350 are not re-sent", gap.GetProperty("reason").GetString());
        var seqs = new List<long>();
        for (var i = 0; i < 51; i++) seqs.Add(JsonDocument.Parse(await Receive(client)).RootElement.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal(Enumerable.Range(351, 51).Select(i => (long)i), seqs);

        connection.Drop("test", "done");
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<string> Receive(WebSocket socket)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            if (result.EndOfMessage) return text.ToString();
        }
    }
}
