using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>One admin action stops the desk: trading halted, every open order cancelled, audited; resuming is separate.</summary>
public sealed class DeskKillSwitchTests
{
    private static Task<HttpResponseMessage> Order(HttpClient client, decimal price) =>
        client.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 1.0m, price, tif = "gtc" });

    [Fact]
    public async Task Halt_CancelsEveryAccountsOrders_RefusesNewOnes_UntilAnAdminResumes()
    {
        using var desk = new DeskFactory();
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        await Order(trader, 80m);
        await Order(admin, 79m);

        var halted = await admin.PostAsJsonAsync("/admin/desk/halt", new { reason = "venue outage" });

        Assert.Equal(2, (await halted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelled_orders").GetInt32());
        Assert.Empty((await trader.GetFromJsonAsync<JsonElement>("/api/orders")).EnumerateArray());
        var refused = await Order(trader, 80m);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("trading_halted", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        var state = await admin.GetFromJsonAsync<JsonElement>("/admin/desk");
        Assert.True(state.GetProperty("halted").GetBoolean());
        Assert.Equal("test-admin", state.GetProperty("by").GetString());
        var audit = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=desk.halt");
        Assert.Contains("venue outage", audit.GetProperty("entries")[0].GetProperty("after").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/admin/desk/resume", new { reason = "venue back" })).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Order(trader, 80m)).StatusCode);
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=desk.resume")).GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task OnlyAdmins_HaltTheDesk_AndAlwaysSayWhy()
    {
        using var desk = new DeskFactory();

        var trader = await desk.ClientWithKey(DeskFactory.TraderKey).PostAsJsonAsync("/admin/desk/halt", new { reason = "x" });
        var noReason = await desk.ClientWithKey(DeskFactory.AdminKey).PostAsJsonAsync("/admin/desk/halt", new { reason = " " });

        Assert.Equal(HttpStatusCode.Forbidden, trader.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync());
        Assert.False((await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/desk")).GetProperty("halted").GetBoolean());
    }
}
