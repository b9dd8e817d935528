using System.Net;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>The optional second listener: the seed's scripts point at it unchanged and reach the control paths, and nothing else.</summary>
public sealed class SeedOpsListenerTests : IAsyncLifetime
{
    private const string TraderKey = "ops-listener-trader-key-0123456789ab";
    private readonly DeskProcess _desk = new();
    private readonly int _opsPort = DeskProcess.FreePort();

    public Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["Phoenyra__Strategies__OpsUrls"] = $"http://127.0.0.1:{_opsPort}";
        return _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    [Fact]
    public async Task TheOpsListener_ServesTheControlPaths_HealthAndMetrics_AndNothingElse()
    {
        using var ops = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_opsPort}"), Timeout = TimeSpan.FromSeconds(10) };
        ops.DefaultRequestHeaders.Add("X-API-Key", TraderKey);

        Assert.Contains("\"last_bar\"", await ops.GetStringAsync("/health"));
        Assert.Contains("\"margin_ratio\"", await ops.GetStringAsync("/status"));
        Assert.Contains("\"long_ladder\"", await ops.GetStringAsync("/ladders"));
        Assert.Contains("\"count\"", await ops.GetStringAsync("/orders"));
        Assert.Contains("hedgegrid_open_orders", await ops.GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.OK, (await ops.PostAsync("/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("/api/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.GetAsync("/admin/audit")).StatusCode);
        using var main = new HttpClient { BaseAddress = new Uri(_desk.BaseUrl) };
        main.DefaultRequestHeaders.Add("X-API-Key", TraderKey);
        Assert.Equal(HttpStatusCode.OK, (await main.GetAsync("/api/orders")).StatusCode);
    }
}
