using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>Alertmanager's webhook: alerts labelled phoenyra_action tighten the desk; nothing loosens until an operator resumes.</summary>
public sealed class AlertWebhookTests
{
    private static object Payload(string status, params (string Name, string? Action, string? Strategy)[] alerts) => new
    {
        version = "4",
        status,
        receiver = "phoenyra-desk",
        groupKey = "{}:{alertname=\"x\"}",
        alerts = alerts.Select(a => new
        {
            status,
            labels = new Dictionary<string, string?> { ["alertname"] = a.Name, ["severity"] = "warning", ["phoenyra_action"] = a.Action, ["strategy"] = a.Strategy }
                .Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!),
            annotations = new { summary = $"{a.Name} summary" },
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            fingerprint = "abc",
        }),
    };

    private static HttpClient Hook(DeskFactory desk)
    {
        var client = desk.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DeskFactory.AdminKey);
        return client;
    }

    [Fact]
    public async Task AReduceAlert_PutsTheDeskInReducingMode_ItsResolutionLoosensNothing_AnOperatorResumes()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?> { ["Phoenyra:Trading:MarketMaker:Enabled"] = "false" });
        var hook = Hook(desk);
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        object Bid() => new { market = "DE-ID-60", side = "buy", quantity = 1, price = 50, tif = "gtc" };

        var fired = await hook.PostAsJsonAsync("/admin/alerts", Payload("firing", ("LowSoCWarning", "reduce", null)));
        var denied = await trader.PostAsJsonAsync("/api/orders", Bid());
        await hook.PostAsJsonAsync("/admin/alerts", Payload("resolved", ("LowSoCWarning", "reduce", null)));
        var stillDenied = await trader.PostAsJsonAsync("/api/orders", Bid());
        var state = await admin.GetFromJsonAsync<JsonElement>("/admin/desk");
        (await admin.PostAsJsonAsync("/admin/desk/resume", new { reason = "battery recharged" })).EnsureSuccessStatusCode();
        var accepted = await trader.PostAsJsonAsync("/api/orders", Bid());

        Assert.Equal(HttpStatusCode.OK, fired.StatusCode);
        Assert.Equal("reducing_only", (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal("reducing_only", (await stillDenied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        Assert.Equal("reducing", state.GetProperty("trading_state").GetString());
        Assert.Contains(state.GetProperty("guards").EnumerateArray(), g => g.GetProperty("source").GetString() == "alertmanager");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?actor=alertmanager&action=alert.reduce");
        Assert.Contains("LowSoCWarning", audit.GetProperty("entries")[0].GetProperty("after").GetString());
        var received = await admin.GetFromJsonAsync<JsonElement>("/admin/alerts");
        Assert.Equal(["resolved", "firing"], received.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AHaltAlert_PullsTheKillSwitch_AFlattenAlertFlattensItsStrategy_AnUnknownActionIsIgnored()
    {
        using var desk = new DeskFactory();
        var hook = Hook(desk);
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);

        var response = await hook.PostAsJsonAsync("/admin/alerts", Payload("firing",
            ("PhoenyraJournalFailing", "halt", null), ("LargeUnrealizedLoss", "flatten", "hedge-grid-1"), ("Mystery", "explode", null)));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("received").GetInt32());
        Assert.Contains("unknown action 'explode' ignored", body.GetRawText());
        var deskState = await admin.GetFromJsonAsync<JsonElement>("/admin/desk");
        Assert.True(deskState.GetProperty("halted").GetBoolean());
        Assert.Equal("alertmanager", deskState.GetProperty("by").GetString());
        Assert.Contains("PhoenyraJournalFailing", deskState.GetProperty("reason").GetString());
        var flattened = await admin.GetFromJsonAsync<JsonElement>("/admin/audit?actor=alertmanager&action=alert.flatten");
        Assert.Contains("LargeUnrealizedLoss", flattened.GetProperty("entries")[0].GetProperty("after").GetString());
        Assert.Contains("hedge-grid-1", flattened.GetProperty("entries")[0].GetProperty("after").GetString());
    }

    [Theory]
    [InlineData("""{"version":"3","alerts":[]}""", "version")]
    [InlineData("""{"version":"4"}""", "alerts")]
    [InlineData("""{"version":"4","alerts":[{"labels":{}}]}""", "alerts[0].labels.alertname")]
    [InlineData("""{"version":"4","alerts":"none"}""", "alerts")]
    public async Task AMalformedPayload_Is400NamingTheField_AndChangesNothing(string body, string field)
    {
        using var desk = new DeskFactory();

        var response = await Hook(desk).PostAsync("/admin/alerts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty((await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/alerts")).GetProperty("alerts").EnumerateArray());
    }

    [Fact]
    public async Task OnlyAnAdminKey_MayPostAlerts()
    {
        using var desk = new DeskFactory();
        var trader = desk.CreateClient();
        trader.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DeskFactory.TraderKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostAsJsonAsync("/admin/alerts", Payload("firing", ("X", "halt", null)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.CreateClient().PostAsJsonAsync("/admin/alerts", Payload("firing", ("X", "halt", null)))).StatusCode);
    }
}
