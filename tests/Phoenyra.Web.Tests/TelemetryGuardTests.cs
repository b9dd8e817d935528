using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>Battery telemetry gates trading: guards with hysteresis change what the risk engine accepts.</summary>
public sealed class TelemetryGuardTests
{
    private static async Task<HttpResponseMessage> Post(HttpClient client, object reading) => await client.PostAsJsonAsync("/telemetry/bess", reading);

    private static async Task<JsonElement> Status(HttpClient client) => await client.GetFromJsonAsync<JsonElement>("/api/bess-status");

    private static bool GuardActive(JsonElement status, string name) =>
        status.GetProperty("guards").EnumerateArray().Single(g => g.GetProperty("name").GetString() == name).GetProperty("active").GetBoolean();

    private static async Task<HttpResponseMessage> Sell(HttpClient trader) =>
        await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "sell", quantity = 0.1, price = 180, tif = "ioc" });

    private static async Task<HttpResponseMessage> Buy(HttpClient trader) =>
        await trader.PostAsJsonAsync("/api/orders", new { market = "DE-ID-15", side = "buy", quantity = 0.1, price = 1, tif = "ioc" });

    [Fact]
    public async Task LowSoc_BlocksSell_WithHysteresis_HighSoc_BlocksBuy_AndEveryChangeIsAudited()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" });
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);

        Assert.Equal(HttpStatusCode.Accepted, (await Post(device, new { soc_percent = 14.0, active_power_mw = 0.4, temperature_c = 25.0 })).StatusCode);
        var denied = await Sell(trader);
        Assert.Equal((HttpStatusCode)422, denied.StatusCode);
        var problem = await denied.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("side_blocked", problem.GetProperty("reason").GetString());
        Assert.Contains("SoC 14 % is below 15 %", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Buy(trader)).StatusCode);

        await Post(device, new { soc_percent = 16.0, active_power_mw = 0.0, temperature_c = 25.0 });   // inside the 2 % band: still on
        Assert.True(GuardActive(await Status(viewer), "soc-low"));
        Assert.Equal((HttpStatusCode)422, (await Sell(trader)).StatusCode);

        await Post(device, new { soc_percent = 17.5, active_power_mw = 0.0, temperature_c = 25.0 }); // past the band: off
        Assert.False(GuardActive(await Status(viewer), "soc-low"));
        Assert.Equal(HttpStatusCode.OK, (await Sell(trader)).StatusCode);

        await Post(device, new { soc_percent = 91.0, active_power_mw = -0.9, temperature_c = 25.0 });
        Assert.Equal((HttpStatusCode)422, (await Buy(trader)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Sell(trader)).StatusCode);

        var audit = await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/audit?actor=bess");
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Equal(2, actions.Count(a => a == "guard.soc-low"));
        Assert.Contains("guard.soc-high", actions);
        var metrics = await viewer.GetStringAsync("/metrics");
        Assert.Contains("pho_soc_percent{site=\"site-1\"} 91", metrics);
        Assert.Contains("pho_bess_power_mw{site=\"site-1\"} -0.9", metrics);
    }

    [Fact]
    public async Task HighTemperature_HalvesTheSubmitRate()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" });
        await Post(desk.ClientWithKey(DeskFactory.DeviceKey), new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 41.5 });

        var guard = (await Status(desk.ClientWithKey(DeskFactory.ViewerKey))).GetProperty("guards").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "temperature-high");

        Assert.True(guard.GetProperty("active").GetBoolean());
        Assert.Equal("order submit rate x0.5", guard.GetProperty("effect").GetString());
    }

    [Fact]
    public async Task BadTelemetry_Is400NamingEachField_AndChangesNothing()
    {
        using var desk = new DeskFactory();
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        await Post(device, new { soc_percent = 55.0, active_power_mw = 0.2, temperature_c = 20.0 });

        var cases = new (string Body, string Field)[]
        {
            ("""{"active_power_mw":0.1,"temperature_c":20}""", "soc_percent"),
            ("""{"soc_percent":101,"active_power_mw":0.1,"temperature_c":20}""", "soc_percent"),
            ("""{"soc_percent":-0.5,"active_power_mw":0.1,"temperature_c":20}""", "soc_percent"),
            ("""{"soc_percent":"NaN","active_power_mw":0.1,"temperature_c":20}""", "soc_percent"),
            ("""{"soc_percent":50,"active_power_mw":0.1,"temperature_c":-41}""", "temperature_c"),
            ("""{"soc_percent":50,"active_power_mw":0.1,"temperature_c":100.5}""", "temperature_c"),
            ("""{"soc_percent":50,"active_power_mw":5.6,"temperature_c":20}""", "active_power_mw"),
            ("""{"soc_percent":50,"active_power_mw":0.1,"temperature_c":20,"site":"nowhere"}""", "site"),
            ("""{"soc_percent":50,"active_power_mw":0.1,"temperature_c":20,"ts":"2099-01-01T00:00:00Z"}""", "ts"),
            ("""{"soc_percent":50,"active_power_mw":Infinity,"temperature_c":20}""", "active_power_mw"),
        };
        foreach (var (body, field) in cases)
        {
            var response = await device.PostAsync("/api/telemetry", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"{body} did not name {field}: {errors}");
        }

        var status = await Status(desk.ClientWithKey(DeskFactory.ViewerKey));
        Assert.Equal(55.0, status.GetProperty("soc_percent").GetDouble());
        Assert.Single((await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/api/bess/history")).EnumerateArray());
    }

    [Fact]
    public async Task DeviceKey_PostsTelemetryOnly()
    {
        using var desk = new DeskFactory();
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);

        Assert.Equal(HttpStatusCode.Accepted, (await Post(device, new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 20.0 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await device.GetAsync("/api/bess-status")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Buy(device)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await device.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(desk.ClientWithKey(DeskFactory.ViewerKey), new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 20.0 })).StatusCode);
    }

    [Fact]
    public async Task AReadingDatedAhead_DoesNotHideTheBatterysNextReading()
    {
        using var desk = new DeskFactory();
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);

        // 290 s ahead is within the allowed clock skew, so it is stored — but dated no later than its arrival.
        await Post(desk.ClientWithKey(DeskFactory.TraderKey), new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 20.0, ts = DateTimeOffset.UtcNow.AddSeconds(290) });
        await Task.Delay(10);
        await Post(device, new { soc_percent = 12.0, active_power_mw = 0.0, temperature_c = 20.0 });

        var status = await Status(viewer);
        Assert.Equal(12.0, status.GetProperty("soc_percent").GetDouble());
        Assert.True(GuardActive(status, "soc-low"));
    }

    [Fact]
    public async Task AReadingFromATradersKey_IsAnOverride_MarkedAndAuditedWithTheKeyId_AsIsTheGuardItMoves()
    {
        using var desk = new DeskFactory();

        await Post(desk.ClientWithKey(DeskFactory.TraderKey), new { soc_percent = 10.0, active_power_mw = 0.0, temperature_c = 20.0 });

        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        var overrides = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=telemetry.override");
        Assert.Equal("test-trader", overrides.GetProperty("entries")[0].GetProperty("actor").GetString());
        var history = await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/api/bess/history");
        Assert.Equal("override:test-trader", history.EnumerateArray().Last().GetProperty("source").GetString());
        var guard = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=guard.soc-low");
        Assert.Equal("test-trader", guard.GetProperty("entries")[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task ADeviceKey_PostsOnlyForItsOwnSite()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Bess:Sites:1:Id"] = "site-2",
            ["Phoenyra:Auth:Keys:4:Id"] = "site-2",
            ["Phoenyra:Auth:Keys:4:Role"] = "device",
            ["Phoenyra:Auth:Keys:4:Key"] = "site-2-device-key-0123456789abcdef",
        });
        var site2 = desk.ClientWithKey("site-2-device-key-0123456789abcdef");
        var site1 = desk.ClientWithKey(DeskFactory.DeviceKey);

        var own = await Post(site2, new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 20.0, site = "site-2" });
        var foreign = await Post(site2, new { soc_percent = 5.0, active_power_mw = 0.0, temperature_c = 20.0, site = "site-1" });
        var listed = await Post(site1, new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 20.0, site = "site-1" });
        var notListed = await Post(site1, new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 20.0, site = "site-2" });

        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Contains("may not post readings for site 'site-1'", await foreign.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notListed.StatusCode);
        Assert.Equal(50.0, (await Status(desk.ClientWithKey(DeskFactory.ViewerKey))).GetProperty("soc_percent").GetDouble());
    }

    [Fact]
    public async Task TheHistoryWriter_SurvivesAStoreThatRefusesWrites_AndWritesEverythingOnceItRecovers()
    {
        using var desk = new DeskFactory();
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        await Post(device, new { soc_percent = 51.0, active_power_mw = 0.0, temperature_c = 20.0 });
        Assert.Single((await viewer.GetFromJsonAsync<JsonElement>("/api/bess/history")).EnumerateArray());

        using (var sql = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(desk.DataDir, "phoenyra.db")}"))
        {
            sql.Open();
            using var hide = sql.CreateCommand();
            hide.CommandText = "ALTER TABLE bess_telemetry RENAME TO bess_telemetry_away";
            hide.ExecuteNonQuery();
            await Post(device, new { soc_percent = 52.0, active_power_mw = 0.0, temperature_c = 20.0 }); // the write fails, is retried
            await Task.Delay(1500);
            hide.CommandText = "ALTER TABLE bess_telemetry_away RENAME TO bess_telemetry";
            hide.ExecuteNonQuery();
        }
        await Post(device, new { soc_percent = 53.0, active_power_mw = 0.0, temperature_c = 20.0 });

        var history = (await viewer.GetFromJsonAsync<JsonElement>("/api/bess/history").WaitAsync(TimeSpan.FromSeconds(30))).EnumerateArray()
            .Select(r => r.GetProperty("soc_percent").GetDouble()).ToList();
        Assert.Equal([51.0, 52.0, 53.0], history);
    }

    [Fact]
    public async Task SilentTelemetry_PutsTheDeskInReducingMode_UntilReadingsResume()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var desk = DeskFactory.WithClock(clock, new Dictionary<string, string?> { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" });
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);
        await Post(device, TelemetryBuilder.Healthy.Body);
        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.False(GuardActive(await Status(viewer), "telemetry-stale"));

        // policy.yaml: stale_after_seconds 120. The guard's one-second check runs on the desk's clock.
        clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually(async () => GuardActive(await Status(viewer), "telemetry-stale"));
        var denied = await Buy(desk.ClientWithKey(DeskFactory.TraderKey));
        Assert.Equal("reducing_only", (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        await Post(device, TelemetryBuilder.Healthy.Body);
        Assert.False(GuardActive(await Status(viewer), "telemetry-stale"));
    }

    /// <summary>Waits (up to 10 s of real time) for background work the test's clock has triggered.</summary>
    private static async Task Eventually(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition()) await Task.Delay(20, timeout.Token);
    }

    [Fact]
    public async Task InvalidGuardSection_RejectsTheWholePolicyReload()
    {
        var policy = Path.Combine(Path.GetTempPath(), $"phoenyra-policy-{Guid.NewGuid():N}.yaml");
        var original = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "policy.yaml"));
        await File.WriteAllTextAsync(policy, original);
        try
        {
            using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:PolicyFile"] = policy });
            var admin = desk.ClientWithKey(DeskFactory.AdminKey);
            var before = (await admin.GetFromJsonAsync<JsonElement>("/admin/policy")).GetProperty("version").GetInt32();
            await File.WriteAllTextAsync(policy, original.Replace("soc_low_blocks: sell", "soc_low_blocks: sideways").Replace("max_order_mw: 25", "max_order_mw: 5"));

            var response = await admin.PostAsync("/admin/policy/reload", null);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("bess_guards.soc_low_blocks: 'sideways' is not buy or sell", await response.Content.ReadAsStringAsync());
            var after = await admin.GetFromJsonAsync<JsonElement>("/admin/policy");
            Assert.Equal(before, after.GetProperty("version").GetInt32());
            Assert.Equal(25m, after.GetProperty("markets").GetProperty("DE-ID-15").GetProperty("max_order_mw").GetDecimal());
        }
        finally
        {
            File.Delete(policy);
        }
    }
}
