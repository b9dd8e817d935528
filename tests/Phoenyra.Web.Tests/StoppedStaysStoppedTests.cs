using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary, killed with SIGKILL and started again: a desk an admin halted, or an alert put in
/// reducing mode, comes back halted or reducing, and stays so until an admin resumes it.
/// </summary>
public sealed class StoppedStaysStoppedTests : IAsyncLifetime
{
    private const string TraderKey = "stopped-trader-key-0123456789abcdef";
    private const string AdminKey = "stopped-admin-key-0123456789abcdefg";
    private readonly DeskProcess _desk = new();

    public async Task InitializeAsync()
    {
        _desk.Environment["API_KEY"] = TraderKey;
        _desk.Environment["ADMIN_KEY"] = AdminKey;
        await _desk.Start();
    }

    public async Task DisposeAsync() => await _desk.DisposeAsync();

    private static async Task<string?> Reason(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK ? "accepted" : (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString();

    private static Task<HttpResponseMessage> Bid(HttpClient trader) =>
        trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-60", side = "buy", quantity = 0.1, type = "market" });

    private async Task Restart()
    {
        _desk.Kill();
        await _desk.Start();
    }

    [Fact]
    public async Task AHaltedDesk_ComesBackHaltedAfterSigkill_UntilAnAdminResumes()
    {
        using var admin = _desk.Client(AdminKey);
        using var trader = _desk.Client(TraderKey);
        (await admin.PostAsJsonAsync("/admin/desk/halt", new { reason = "bad fills on DE-ID-60" })).EnsureSuccessStatusCode();

        await Restart();

        var state = await admin.GetFromJsonAsync<JsonElement>("/admin/desk");
        Assert.True(state.GetProperty("halted").GetBoolean());
        Assert.Equal("env-admin", state.GetProperty("by").GetString());
        Assert.Equal("bad fills on DE-ID-60", state.GetProperty("reason").GetString());
        Assert.Equal("halted", state.GetProperty("trading_state").GetString());
        Assert.Equal("trading_halted", await Reason(await Bid(trader)));
        Assert.Equal((HttpStatusCode)409, (await trader.PostAsync("/api/strategies/hedge-grid-1/start", null)).StatusCode);

        (await admin.PostAsJsonAsync("/admin/desk/resume", new { reason = "fills reconciled" })).EnsureSuccessStatusCode();
        await Restart();

        Assert.False((await admin.GetFromJsonAsync<JsonElement>("/admin/desk")).GetProperty("halted").GetBoolean());
        Assert.Equal("accepted", await Reason(await Bid(trader)));
    }

    [Fact]
    public async Task AnAlertsReducingMode_SurvivesARestart_UntilAnAdminResumes()
    {
        using var admin = _desk.Client(AdminKey);
        using var trader = _desk.Client(TraderKey);
        var alert = new
        {
            version = "4",
            alerts = new[] { new { status = "firing", labels = new Dictionary<string, string> { ["alertname"] = "LowSoCWarning" }, annotations = new { summary = "Battery SoC below 15%" } } },
        };
        (await admin.PostAsJsonAsync("/admin/alerts", alert)).EnsureSuccessStatusCode();
        Assert.Equal("reducing_only", await Reason(await Bid(trader)));

        await Restart();

        Assert.Equal("reducing", (await admin.GetFromJsonAsync<JsonElement>("/admin/desk")).GetProperty("trading_state").GetString());
        Assert.Equal("reducing_only", await Reason(await Bid(trader)));
        (await admin.PostAsJsonAsync("/admin/desk/resume", new { reason = "battery recharged" })).EnsureSuccessStatusCode();
        Assert.Equal("accepted", await Reason(await Bid(trader)));
    }
}
