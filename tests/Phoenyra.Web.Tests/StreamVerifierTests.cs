using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary's signed streams, checked by the seed's own verifiers run for real: Python with
/// Debian's websockets, Node with npm's ws (HMAC, and ES256 against the JWKS), over hundreds of
/// messages carrying awkward prices (45.10, 0.1, 100.0, negatives) and volumes.
/// </summary>
public sealed class StreamVerifierTests : IAsyncLifetime
{
    private const string Secret = "phoenyra_demo_secret";
    private const string SellerKey = "stream-seller-key-000001";
    private const string BuyerKey = "stream-buyer-key-0000001";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["HMAC_SECRET"] = Secret;
        _desk.Environment["Phoenyra__Trading__MarketMaker__Enabled"] = "false";
        (string Id, string Key)[] keys = [("seller", SellerKey), ("buyer", BuyerKey)];
        for (var i = 0; i < keys.Length; i++)
        {
            _desk.Environment[$"Phoenyra__Auth__Keys__{i}__Id"] = keys[i].Id;
            _desk.Environment[$"Phoenyra__Auth__Keys__{i}__Role"] = "trader";
            _desk.Environment[$"Phoenyra__Auth__Keys__{i}__Key"] = keys[i].Key;
        }
        _desk.Environment["Phoenyra__Auth__RateLimit__PermitsPerSecond"] = "10000";
        _desk.Environment["Phoenyra__Auth__RateLimit__Burst"] = "10000";
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    private string Ws(string path, string key, string extra = "") => $"ws://127.0.0.1:{_desk.Port}{path}?api_key={key}{extra}";

    [Fact]
    public async Task PythonAndNodeSeedVerifiers_AcceptEveryMessage_OfBothStreams()
    {
        var verifiers = new[]
        {
            Verifier.Python(Ws("/ws/market", BuyerKey), Secret, 400),
            Verifier.Python(Ws("/ws/orders", BuyerKey), Secret, 300),
            Verifier.Node(Ws("/ws/market", SellerKey), Secret, 400),
            Verifier.Node(Ws("/ws/orders", SellerKey), Secret, 300),
            Verifier.NodeEs256(Ws("/ws/market", SellerKey, "&alg=es256"), $"{_desk.BaseUrl}/.well-known/jwks.json", 400),
        };
        foreach (var verifier in verifiers) await verifier.Ready();

        using var trading = new CancellationTokenSource();
        var load = TradeAwkwardNumbers(trading.Token);
        var summaries = await Task.WhenAll(verifiers.Select(v => v.Finish(TimeSpan.FromSeconds(120))));
        await trading.CancelAsync();
        await load;

        foreach (var (summary, verifier) in summaries.Zip(verifiers))
        {
            Assert.True(summary.ExitCode == 0, $"{verifier.Name} rejected a message: {summary.Output}");
            Assert.True(summary.Json.GetProperty("verified").GetInt32() >= 300, verifier.Name + ": " + summary.Output);
        }
        // The streams carried what they should: trades and marks on the market stream, orders and fills on the orders stream.
        Assert.True(summaries[0].Json.GetProperty("types").TryGetProperty("trade", out _), summaries[0].Output);
        Assert.True(summaries[1].Json.GetProperty("types").TryGetProperty("fill", out _), summaries[1].Output);
        Assert.True(summaries[3].Json.GetProperty("types").TryGetProperty("order", out _), summaries[3].Output);
    }

    [Fact]
    public async Task ForgedAndReplayedMessages_AreRejectedByTheVerifier()
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(Ws("/ws/market", BuyerKey)), CancellationToken.None);
        using var seller = _desk.Client(SellerKey);
        await seller.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 1, price = 45.10m });
        var frames = new List<string>();
        var genuine = new List<string>();
        while (genuine.Count < 3)
            if (await Receive(socket) is var frame && JsonDocument.Parse(frame).RootElement.GetProperty("meta").TryGetProperty("seq", out _)) genuine.Add(frame);

        // A fresh message with one byte of its data changed (the seq moves on, so only the signature can tell).
        var forged = genuine[2].Replace("\"type\":\"", "\"type\":\"x");
        var lines = new[] { genuine[0], genuine[1], genuine[0], forged };

        var verdicts = await Verifier.PythonOffline(Secret, lines);

        Assert.True(forged != genuine[2], forged);
        Assert.Equal(["ok", "ok", "replayed", "bad_signature"], verdicts);
    }

    [Fact]
    public async Task AFrameFromAnotherConnection_OrOneLeftOut_IsRejectedAsSpliced()
    {
        using var buyer = new ClientWebSocket();
        using var seller = new ClientWebSocket();
        await buyer.ConnectAsync(new Uri(Ws("/ws/market", BuyerKey)), CancellationToken.None);
        await seller.ConnectAsync(new Uri(Ws("/ws/market", SellerKey)), CancellationToken.None);
        using var trader = _desk.Client(SellerKey);
        await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 1, price = 45.20m });
        var buyers = await Sequenced(buyer, 3);
        var sellers = await Sequenced(seller, 3);

        // The seller's copy of the third event is genuine, signed, and next in the stream's order: only its binding tells.
        var spliced = await Verifier.PythonOffline(Secret, [buyers[0], buyers[1], sellers[2]]);
        var leftOut = await Verifier.PythonOffline(Secret, [buyers[0], buyers[2]]);

        Assert.Equal(["ok", "ok", "spliced"], spliced);
        Assert.Equal(["ok", "spliced"], leftOut);
        var binding = JsonDocument.Parse(buyers[1]).RootElement.GetProperty("data").GetProperty("connection");
        Assert.Equal(("market", "buyer"), (binding.GetProperty("stream").GetString(), binding.GetProperty("account").GetString()));
    }

    private static async Task<List<string>> Sequenced(ClientWebSocket socket, int count)
    {
        var frames = new List<string>();
        while (frames.Count < count)
            if (await Receive(socket) is var frame && JsonDocument.Parse(frame).RootElement.GetProperty("meta").TryGetProperty("seq", out _)) frames.Add(frame);
        return frames;
    }

    [Fact]
    public async Task Jwks_PublishesTheEs256PublicKey_AndNoSecretMaterial()
    {
        using var http = new HttpClient();
        var text = await http.GetStringAsync($"{_desk.BaseUrl}/.well-known/jwks.json");
        var jwks = JsonDocument.Parse(text).RootElement;

        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        foreach (var k in jwks.GetProperty("keys").EnumerateArray())
            foreach (var member in new[] { "k", "d", "p", "q", "dp", "dq", "qi" })
                Assert.False(k.TryGetProperty(member, out _), $"JWKS key has private/secret member '{member}'");
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret)).TrimEnd('='), text);
        Assert.Equal("env", jwks.GetProperty("hmac").GetProperty("current_kid").GetString());
    }

    [Fact]
    public async Task Reconnect_WithSince_ResumesWithoutLossOrDuplicates()
    {
        using var seller = _desk.Client(SellerKey);
        long epoch, lastSeen;
        using (var first = new ClientWebSocket())
        {
            await first.ConnectAsync(new Uri(Ws("/ws/orders", SellerKey)), CancellationToken.None);
            epoch = JsonDocument.Parse(await Receive(first)).RootElement.GetProperty("data").GetProperty("epoch").GetInt64();
            await seller.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 1, price = 150 });
            lastSeen = Seq(await Receive(first));
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
        for (var i = 0; i < 5; i++)
            await seller.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "sell", quantity = 1, price = 151 + i });

        using var resumed = new ClientWebSocket();
        await resumed.ConnectAsync(new Uri(Ws("/ws/orders", SellerKey, $"&since={lastSeen}&epoch={epoch}")), CancellationToken.None);
        Assert.Contains("\"type\":\"hello\"", await Receive(resumed));
        var seqs = new List<long>();
        for (var i = 0; i < 5; i++) seqs.Add(Seq(await Receive(resumed)));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => lastSeen + i), seqs);

        using var otherRun = new ClientWebSocket();
        await otherRun.ConnectAsync(new Uri(Ws("/ws/orders", SellerKey, $"&since={lastSeen}&epoch={epoch - 1}")), CancellationToken.None);
        await Receive(otherRun);
        Assert.Contains("\"type\":\"gap\"", await Receive(otherRun));
    }

    [Fact]
    public async Task Handshake_WithoutKey_OrFromAForeignOrigin_IsRefused()
    {
        using var http = new HttpClient();
        using var noKey = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => noKey.ConnectAsync(new Uri($"ws://127.0.0.1:{_desk.Port}/ws/market"), CancellationToken.None));
        Assert.Contains("401", refused.Message);

        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        refused = await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(new Uri(Ws("/ws/market", BuyerKey)), CancellationToken.None));
        Assert.Contains("403", refused.Message);

        var plain = await http.GetAsync($"{_desk.BaseUrl}/ws/market?api_key={BuyerKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode); // keys in the query count on WebSocket upgrades only
    }

    /// <summary>Crossing pairs between two keys, so trades print at exactly these prices and sizes.</summary>
    private async Task TradeAwkwardNumbers(CancellationToken stop)
    {
        decimal[] prices = [45.10m, 0.1m, 100.0m, -12.5m, 239.99m, 1.05m, 33.333m, -0.01m, 87.5m, 120.40m];
        decimal[] sizes = [0.1m, 24.9m, 12.3m, 1.0m, 7.7m];
        using var seller = _desk.Client(SellerKey);
        using var buyer = _desk.Client(BuyerKey);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var price = Math.Round(prices[i % prices.Length], 2);
            var quantity = sizes[i % sizes.Length];
            var market = i % 3 == 0 ? "DE-ID-15" : "DE-ID-60";
            try
            {
                await seller.PostAsJsonAsync("/api/orders", new { market, side = "sell", quantity, price }, stop);
                await buyer.PostAsJsonAsync("/api/orders", new { market, side = "buy", quantity, price }, stop);
            }
            catch (OperationCanceledException) { return; }
        }
    }

    private static long Seq(string frame) => JsonDocument.Parse(frame).RootElement.GetProperty("meta").GetProperty("seq").GetInt64();

    /// <summary>One whole text message from a stream (other stream tests read with it too).</summary>
    internal static async Task<string> Receive(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        } while (!result.EndOfMessage);
        return text.ToString();
    }
}
