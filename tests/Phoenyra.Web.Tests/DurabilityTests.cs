using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>The real binary refuses oversize bodies before reading them (the SIGKILL test is in Storage/SigkillContract.cs, on both stores).</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private const string TraderKey = "durability-trader-key-0123456789abc";
    private const string AdminKey = "durability-admin-key-0123456789abcd";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["ADMIN_KEY"] = AdminKey;
        _desk.Environment["Phoenyra__Auth__RateLimit__PermitsPerSecond"] = "100000";
        _desk.Environment["Phoenyra__Auth__RateLimit__Burst"] = "100000";
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    private HttpClient Client() => _desk.Client(TraderKey);

    [Fact]
    public async Task OversizeBody_IsRefusedWith413_BeforeParsing()
    {
        using var client = Client();
        var body = "{\"market\":\"DE-ID-15\",\"side\":\"buy\",\"quantity\":1,\"price\":85,\"client_order_id\":\"" + new string('x', 20_000) + "\"}";

        var response = await client.PostAsync("/api/orders", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A20MbTelemetryPost_Gets413WithAProblemDocument_DeclaredOrChunked(bool chunked)
    {
        using var client = Client();
        var body = "{\"soc_percent\":50,\"active_power_mw\":0,\"temperature_c\":25,\"site\":\"" + new string('x', 20 * 1024 * 1024) + "\"}";
        var content = new StringContent(body, Encoding.UTF8, "application/json");
        if (chunked) content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/telemetry/bess") { Content = content };
        if (chunked) request.Headers.TransferEncodingChunked = true;

        HttpResponseMessage response;
        try { response = await client.SendAsync(request); }
        catch (HttpRequestException) { return; } // the server may close the connection mid-upload after answering; either way nothing was stored
        finally { Assert.DoesNotContain("xxxx", await client.GetStringAsync("/api/bess-status")); }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnOversizeKillSwitchBody_IsRefusedWith413_AndHaltsNothing()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_desk.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        admin.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
        var body = "{\"reason\":\"" + new string('x', 20_000) + "\"}";

        var response = await admin.PostAsync("/admin/desk/halt", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("\"halted\":false", await admin.GetStringAsync("/admin/desk"));
    }

    [Fact]
    public async Task AnOversizeStrategyControlBody_IsRefusedWith413_AndChangesNothing()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(_desk.BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        admin.DefaultRequestHeaders.Add("X-API-Key", AdminKey);
        var body = "{\"throttle\":0.5,\"x\":\"" + new string('x', 20_000) + "\"}";

        var response = await admin.PostAsync("/set-throttle", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("\"throttle\":1", await admin.GetStringAsync("/status"));
    }
}
