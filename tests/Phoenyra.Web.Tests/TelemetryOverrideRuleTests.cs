using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real binary in Production: a reading posted in place of the battery (a trader's or admin's
/// key) is refused and audited unless <c>Phoenyra:Bess:DashboardOverrides</c> is on, and then only
/// for an admin; the device key still posts.
/// </summary>
public sealed class TelemetryOverrideRuleTests
{
    private const string TraderKey = "override-trader-key-0123456789abcdef";
    private const string AdminKey = "override-admin-key-0123456789abcdefg";
    private const string DeviceKey = "override-device-key-0123456789abcdef";
    private static readonly object Reading = new { soc_percent = 8.0, active_power_mw = 0.0, temperature_c = 25.0 };

    private static DeskProcess Desk(bool dashboardOverrides)
    {
        var desk = new DeskProcess();
        desk.Environment["API_KEY"] = TraderKey;
        desk.Environment["ADMIN_KEY"] = AdminKey;
        desk.AddKey("site-1", "device", DeviceKey);
        desk.Environment["Phoenyra__Bess__Simulator__Enabled"] = "false";
        desk.Environment["Phoenyra__Bess__DashboardOverrides"] = dashboardOverrides ? "true" : "false";
        return desk;
    }

    [Fact]
    public async Task InProduction_OverridesAreRefusedAndAudited_UntilDashboardOverridesIsOn_AndThenOnlyForAnAdmin()
    {
        await using (var off = Desk(dashboardOverrides: false))
        {
            await off.Start();
            using var trader = off.Client(TraderKey);
            using var admin = off.Client(AdminKey);

            Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostAsJsonAsync("/telemetry/bess", Reading)).StatusCode);
            var refused = await admin.PostAsJsonAsync("/api/telemetry", Reading);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("DashboardOverrides is false", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
            Assert.Equal(HttpStatusCode.Accepted, (await off.Client(DeviceKey).PostAsJsonAsync("/telemetry/bess", new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 25.0 })).StatusCode);
            var status = await trader.GetFromJsonAsync<JsonElement>("/api/bess-status");
            Assert.Equal(50.0, status.GetProperty("soc_percent").GetDouble()); // the refused 8 % changed nothing
            var audit = (await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=telemetry.override")).GetProperty("entries");
            Assert.Equal(2, audit.GetArrayLength());
            Assert.All(audit.EnumerateArray(), e => Assert.StartsWith("denied", e.GetProperty("result").GetString()));
            Assert.Contains("\"soc_percent\":8", audit[0].GetProperty("after").GetString());
        }

        await using var on = Desk(dashboardOverrides: true);
        await on.Start();
        Assert.Equal(HttpStatusCode.Forbidden, (await on.Client(TraderKey).PostAsJsonAsync("/telemetry/bess", Reading)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await on.Client(AdminKey).PostAsJsonAsync("/telemetry/bess", Reading)).StatusCode);
    }
}
