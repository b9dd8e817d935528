using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

/// <summary>
/// Alertmanager's webhook: the desk's alert map (not the alert's labels) decides what an alert does;
/// Alertmanager posts with its own key; nothing loosens until an operator resumes.
/// </summary>
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

    private static HttpClient Hook(DeskFactory desk, string key = DeskFactory.AlertmanagerKey)
    {
        var client = desk.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static DeskFactory Mapped() => DeskFactory.With(new Dictionary<string, string?>
    {
        ["Phoenyra:Alerts:Actions:PhoenyraJournalFailing"] = "halt",
        ["Phoenyra:Alerts:Actions:LargeUnrealizedLoss"] = "flatten:hedge-grid-1",
    });

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
    public async Task AMappedHaltAlert_PullsTheKillSwitch_AMappedFlattenFlattensItsStrategy_AnUnmappedAlertIsOnlyRecorded()
    {
        using var desk = Mapped();
        var hook = Hook(desk);
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);

        var response = await hook.PostAsJsonAsync("/admin/alerts", Payload("firing",
            ("PhoenyraJournalFailing", null, null), ("LargeUnrealizedLoss", null, null), ("Mystery", "explode", null)));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("received").GetInt32());
        Assert.Contains("not in the desk's alert map: recorded, no action", body.GetRawText());
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
    public async Task AlertLabels_NeverChooseAnAction_OrAStrategy()
    {
        using var desk = Mapped();
        var hook = Hook(desk);
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);

        // What anyone who reaches Alertmanager could send: an invented alert asking to halt, a mapped
        // reduce alert asking to halt instead, and a mapped flatten aimed at another strategy.
        var response = await hook.PostAsJsonAsync("/admin/alerts", Payload("firing",
            ("HaltEverything", "halt", null), ("LowSoCWarning", "halt", null), ("LargeUnrealizedLoss", "flatten", "flash-arb-1")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var deskState = await admin.GetFromJsonAsync<JsonElement>("/admin/desk");
        Assert.False(deskState.GetProperty("halted").GetBoolean());
        Assert.Equal("reducing", deskState.GetProperty("trading_state").GetString()); // LowSoCWarning did what the map says
        Assert.Contains("label phoenyra_action=halt ignored", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
        var flattened = (await admin.GetFromJsonAsync<JsonElement>("/admin/audit?actor=alertmanager&action=alert.flatten")).GetProperty("entries");
        Assert.Contains("hedge-grid-1", flattened[0].GetProperty("after").GetString());
        Assert.DoesNotContain(flattened.EnumerateArray(), e => e.GetRawText().Contains("flash-arb-1"));
    }

    [Fact]
    public async Task OnlyAlertmanagersKeyOrAnAdmin_MayPostAlerts_AndAlertmanagersKeyMayDoNothingElse()
    {
        using var desk = new DeskFactory();

        Assert.Equal(HttpStatusCode.OK, (await Hook(desk).PostAsJsonAsync("/admin/alerts", Payload("firing", ("X", null, null)))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Hook(desk, DeskFactory.AdminKey).PostAsJsonAsync("/admin/alerts", Payload("firing", ("X", null, null)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Hook(desk, DeskFactory.TraderKey).PostAsJsonAsync("/admin/alerts", Payload("firing", ("X", "halt", null)))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.CreateClient().PostAsJsonAsync("/admin/alerts", Payload("firing", ("X", "halt", null)))).StatusCode);
        var alertmanager = desk.ClientWithKey(DeskFactory.AlertmanagerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await alertmanager.GetAsync("/admin/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alertmanager.GetAsync("/api/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alertmanager.PostAsJsonAsync("/admin/desk/halt", new { reason = "x" })).StatusCode);
    }

    [Fact]
    public void AnActionTheDeskDoesNotKnow_StopsTheDeskAtStart_NamingTheSetting()
    {
        var options = new Phoenyra.Ops.Alerts.AlertOptions { Actions = { ["Mystery"] = "explode", ["Flat"] = "flatten" } };

        var errors = options.Validate("Phoenyra:Alerts").Select(e => e.ToString()).ToList();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("Phoenyra:Alerts:Actions:Mystery") && e.Contains("'explode' is not an action"));
        Assert.Contains(errors, e => e.Contains("Phoenyra:Alerts:Actions:Flat"));
    }
}
