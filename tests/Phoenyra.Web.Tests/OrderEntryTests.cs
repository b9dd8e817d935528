using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The order-entry WebSocket: pipelined orders get the same checks, journal and answers as REST,
/// on one socket with the later fills of resting orders; bad input is answered by field and changes
/// nothing; the limits hold before and after the upgrade.
/// </summary>
public sealed class OrderEntryTests
{
    private static readonly Dictionary<string, string?> NoMarketMaker = new() { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" };

    [Fact]
    public async Task PipelinedOrders_AreAnsweredByRef_ABadOneByField_AndARestingOrdersLaterFillArrivesOnTheSameSocket()
    {
        using var desk = DeskFactory.With(NoMarketMaker);
        using var socket = await Connect(desk, DeskFactory.TraderKey);
        var hello = await Receive(socket);
        Assert.Equal("hello", hello[0].GetProperty("type").GetString());

        await Send(socket, """
            [{"ref":"s1","market":"DE-ID-60","side":"sell","quantity":1,"price":101.5,"tif":"gtc"},
             {"ref":"huge","market":"DE-ID-60","side":"buy","quantity":1e19,"price":50},
             {"ref":"s2","market":"DE-ID-60","side":"sell","quantity":0.5,"price":102,"tif":"gtc"},
             {"op":"cancel","ref":"c0","id":999999}]
            """);
        var answers = await ReceiveUntil(socket, m => m.Count(r => r.TryGetProperty("ref", out _)) >= 4);
        var byRef = answers.Where(a => a.TryGetProperty("ref", out var r) && r.ValueKind == JsonValueKind.String).ToDictionary(a => a.GetProperty("ref").GetString()!);
        Assert.Equal("ack", byRef["s1"].GetProperty("type").GetString());
        Assert.Equal("accepted", byRef["s1"].GetProperty("status").GetString());
        Assert.Equal("invalid", byRef["huge"].GetProperty("type").GetString());
        Assert.Equal("quantity", byRef["huge"].GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal("rejected", byRef["c0"].GetProperty("type").GetString());
        Assert.Equal("unknown_order", byRef["c0"].GetProperty("reason").GetString());
        var restingId = byRef["s1"].GetProperty("id").GetInt64();

        // Another key takes the resting offer over REST: the fill reaches the seller's socket.
        var buy = await desk.ClientWithKey(DeskFactory.AdminKey).PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 1, price = 101.5, tif = "ioc" });
        Assert.Equal(HttpStatusCode.OK, buy.StatusCode);
        var fill = (await ReceiveUntil(socket, m => m.Any(r => r.GetProperty("type").GetString() == "fill"))).Single(r => r.GetProperty("type").GetString() == "fill");
        Assert.Equal(restingId, fill.GetProperty("id").GetInt64());
        Assert.Equal(101.5m, fill.GetProperty("price").GetDecimal());
        Assert.Equal("sell", fill.GetProperty("side").GetString());

        // The same journal and books as REST: the second offer is open, the filled one is not, and the huge one never existed.
        var open = await desk.ClientWithKey(DeskFactory.TraderKey).GetFromJsonAsync<JsonElement>("/api/orders?market=DE-ID-60");
        var openIds = open.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(byRef["s2"].GetProperty("id").GetInt64(), openIds);
        Assert.DoesNotContain(restingId, openIds);
        Assert.Single(openIds);

        await Send(socket, $$"""{"op":"cancel","ref":"c2","id":{{byRef["s2"].GetProperty("id").GetInt64()}}}""");
        var cancelled = (await ReceiveUntil(socket, m => m.Any(r => r.TryGetProperty("ref", out var x) && x.GetString() == "c2"))).Single(r => r.GetProperty("ref").GetString() == "c2");
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
    }

    [Fact]
    public async Task MoreOrdersThanThePendingLimit_AreAllAnswered_InRequestOrder()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>(NoMarketMaker) { ["Phoenyra:Trading:OrderEntry:MaxPendingOrders"] = "3" });
        using var socket = await Connect(desk, DeskFactory.TraderKey);
        await Receive(socket);
        var orders = Enumerable.Range(0, 40).Select(i => $$"""{"ref":"o{{i}}","market":"DE-ID-60","side":"buy","quantity":0.1,"price":{{50 + i}},"tif":"ioc"}""");
        await Send(socket, "[" + string.Join(",", orders) + "]");

        var answers = await ReceiveUntil(socket, m => m.Count(r => r.TryGetProperty("ref", out _)) >= 40);
        var refs = answers.Where(a => a.TryGetProperty("ref", out _)).Select(a => a.GetProperty("ref").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"o{i}"), refs);
        Assert.All(answers.Where(a => a.TryGetProperty("ref", out _)), a => Assert.Equal("expired", a.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task BrokenAndOversizeMessages_AreRefused_AndNothingReachesTheBook()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>(NoMarketMaker) { ["Phoenyra:Trading:OrderEntry:MaxMessageBytes"] = "2048" });
        using var socket = await Connect(desk, DeskFactory.TraderKey);
        await Receive(socket);

        await Send(socket, """{"market":"DE-ID-60","side":"buy","quantity":""");
        var broken = (await Receive(socket)).Single();
        Assert.Equal("invalid", broken.GetProperty("type").GetString());
        await Send(socket, """{"op":"explode","ref":"x"}""");
        Assert.Equal("op", (await Receive(socket)).Single().GetProperty("errors")[0].GetProperty("field").GetString());

        await Send(socket, "[" + string.Join(",", Enumerable.Repeat("""{"market":"DE-ID-60","side":"buy","quantity":1,"price":50,"tif":"gtc"}""", 60)) + "]");
        var buffer = new byte[4096];
        var result = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, result.CloseStatus);

        var orders = await desk.ClientWithKey(DeskFactory.TraderKey).GetFromJsonAsync<JsonElement>("/api/orders?status=all");
        Assert.Equal(0, orders.GetArrayLength());
    }

    [Fact]
    public async Task HostileMessages_AreEachAnsweredByField_TheSocketStaysOpen_AndNothingReachesTheBook()
    {
        using var desk = DeskFactory.With(NoMarketMaker);
        using var socket = await Connect(desk, DeskFactory.TraderKey);
        await Receive(socket);
        string[] hostile =
        [
            "not json at all", "null", "[]", "[null]", "42", "\"text\"", "[[1,2]]",
            """{"market":"DE-ID-60","side":"buy","quantity":"one","price":50}""",
            """{"market":"DE-ID-60","side":"buy","quantity":1,"price":1e400}""",
            """{"market":"DE-ID-60","side":"buy","quantity":1e30,"price":50}""",
            """{"market":"DE-ID-60","side":"buy","quantity":-1,"price":50}""",
            """{"market":"DE-ID-60","side":"sideways","quantity":1,"price":50,"tif":"forever"}""",
            """{"market":"NOPE","side":"buy","quantity":1,"price":50}""",
            """{"market":"DE-ID-60","side":"buy","quantity":1,"price":50,"ref":7}""",
            $$"""{"market":"DE-ID-60","side":"buy","quantity":1,"price":50,"ref":"{{new string('x', 5000)}}"}""",
            """{"op":"cancel","id":"abc"}""",
            """{"op":"cancel","id":1e30}""",
            """{"op":"cancel"}""",
            """{"market":"DE-ID-60","side":"buy","quantity":1,"price":50,"post_only":"yes"}""",
        ];
        foreach (var message in hostile)
        {
            await Send(socket, message);
            var answers = await Receive(socket);
            Assert.True(answers.Count is 0 or 1, message);
            if (answers.Count == 1)
                Assert.True(answers[0].GetProperty("type").GetString() is "invalid" or "rejected", $"{message} → {answers[0]}");
        }

        Assert.Equal(WebSocketState.Open, socket.State);
        var orders = await desk.ClientWithKey(DeskFactory.TraderKey).GetFromJsonAsync<JsonElement>("/api/orders?status=all");
        Assert.Equal(0, orders.GetArrayLength());
    }

    [Fact]
    public async Task NoKey_ADeviceOrViewerKey_ABrowserOrigin_AndOneConnectionTooMany_AreRefusedBeforeTheUpgrade()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:OrderEntry:MaxConnectionsPerKey"] = "1" });
        var anonymous = await Assert.ThrowsAnyAsync<Exception>(() => Connect(desk, null));
        Assert.Contains("401", anonymous.Message);
        var device = await Assert.ThrowsAnyAsync<Exception>(() => Connect(desk, DeskFactory.DeviceKey));
        Assert.Contains("403", device.Message);
        var viewer = await Assert.ThrowsAnyAsync<Exception>(() => Connect(desk, DeskFactory.ViewerKey));
        Assert.Contains("403", viewer.Message);
        using (var admin = await Connect(desk, DeskFactory.AdminKey)) Assert.Equal(WebSocketState.Open, admin.State);
        var plain = await desk.ClientWithKey(DeskFactory.TraderKey).GetAsync("/ws/order-entry");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        var browser = await Assert.ThrowsAnyAsync<Exception>(() => Connect(desk, DeskFactory.TraderKey, origin: "https://evil.example"));
        Assert.Contains("403", browser.Message);

        using var first = await Connect(desk, DeskFactory.TraderKey);
        var second = await Assert.ThrowsAnyAsync<Exception>(() => Connect(desk, DeskFactory.TraderKey));
        Assert.Contains("429", second.Message);
    }

    private static async Task<WebSocket> Connect(DeskFactory desk, string? key, string? origin = null)
    {
        var client = desk.Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (key is not null) request.Headers["X-API-Key"] = key;
            if (origin is not null) request.Headers.Origin = origin;
        };
        return await client.ConnectAsync(new Uri(desk.Server.BaseAddress, "ws/order-entry"), CancellationToken.None);
    }

    private static Task Send(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>One frame: a JSON array of messages.</summary>
    private static async Task<List<JsonElement>> Receive(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 20];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
            length += result.Count;
        } while (!result.EndOfMessage);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<List<JsonElement>> ReceiveUntil(WebSocket socket, Func<List<JsonElement>, bool> enough)
    {
        var all = new List<JsonElement>();
        while (!enough(all)) all.AddRange(await Receive(socket));
        return all;
    }
}
