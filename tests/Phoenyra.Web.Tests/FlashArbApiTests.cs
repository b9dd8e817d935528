using Microsoft.AspNetCore.Http;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Web.Tests;

/// <summary>Document 002's endpoints and the flash-arb control plane on the real host (flash-arb-1 on GB-SPOT-30 / GB-BASE-M, paper).</summary>
public sealed class FlashArbApiTests
{
    private static DeskFactory Desk() => DeskFactory.With(new Dictionary<string, string?>
    {
        ["Phoenyra:Strategies:Instances:1:BarSeconds"] = "0.1",
        ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "100000",
        ["Phoenyra:Auth:RateLimit:Burst"] = "100000",
    });

    private static readonly object AllHours = new { overrides = new Dictionary<string, object> { ["ALLOW_WEEKEND_TRADING"] = true, ["TRADING_WINDOW_UTC"] = "00:00-00:00" } };

    [Fact]
    public async Task ATrader_StartsWithOverrides_CyclesTrade_AndTheDocumentsPathsReportThem()
    {
        using var desk = Desk();
        using var stop = new CancellationTokenSource();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var feed = desk.FeedGbPrices(stop.Token);

        // Trading round the clock and at weekends loosens the configured window: a trader is refused, an admin may.
        var refused = await trader.PostAsJsonAsync("/api/flash-arb/start", AllHours);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("overrides.TRADING_WINDOW_UTC", out _) && errors.TryGetProperty("overrides.ALLOW_WEEKEND_TRADING", out _), errors.GetRawText());
        Assert.Equal("stopped", (await trader.GetFromJsonAsync<JsonElement>("/api/flash-arb/status")).GetProperty("state").GetString());
        var started = await desk.ClientWithKey(DeskFactory.AdminKey).PostAsJsonAsync("/api/flash-arb/start", AllHours);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        JsonElement trades = default;
        for (var i = 0; i < 200; i++)
        {
            trades = await trader.GetFromJsonAsync<JsonElement>("/trades?limit=5");
            if (trades.GetProperty("count").GetInt32() >= 2) break;
            await Task.Delay(50);
        }
        stop.Cancel();
        await feed;

        var cycle = trades.GetProperty("trades")[0];
        Assert.Equal("completed", cycle.GetProperty("outcome").GetString());
        Assert.Equal(["GB-SPOT-30", "GB-BASE-M"], cycle.GetProperty("legs").EnumerateArray().Select(l => l.GetProperty("venue").GetString()));
        Assert.StartsWith("local-", cycle.GetProperty("loan_transaction").GetString());
        var pnl = await trader.GetFromJsonAsync<JsonElement>("/pnl");
        Assert.True(pnl.GetProperty("positive").GetDecimal() > 0);
        Assert.Equal(pnl.GetProperty("positive").GetDecimal() - pnl.GetProperty("negative").GetDecimal(), pnl.GetProperty("net").GetDecimal());
        Assert.Equal(0, (await trader.GetFromJsonAsync<JsonElement>("/orders/open")).GetProperty("count").GetInt32());
        var status = await trader.GetFromJsonAsync<JsonElement>("/api/flash-arb/status");
        Assert.Equal("running", status.GetProperty("state").GetString());
        Assert.Equal("00:00-00:00", status.GetProperty("view").GetProperty("parameters").GetProperty("TRADING_WINDOW_UTC").GetString());
        Assert.Equal(HttpStatusCode.OK, (await trader.PostAsync("/api/flash-arb/stop", null)).StatusCode);

        var scrape = await trader.GetStringAsync("/metrics");
        foreach (var family in new[] { "cycles_total{outcome=\"completed\"}", "flash_repo_attempts_total", "flash_repo_commits_total", "gbp_profit_positive_total", "# TYPE last_spread gauge" })
            Assert.Contains(family, scrape);
        var (code, output) = await Promtool.CheckMetrics(scrape);
        Assert.True(code == 0 && output.Trim() == "", output);
        var audit = (await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/audit?action=flash_arb.start")).GetProperty("entries");
        Assert.Equal(("test-admin", "ok"), (audit[0].GetProperty("actor").GetString(), audit[0].GetProperty("result").GetString()));
        Assert.Contains("\"old\":\"05:00-21:00\",\"new\":\"00:00-00:00\"", audit[0].GetProperty("after").GetString());
        Assert.Equal(("test-trader", "denied: loosens a risk limit"), (audit[1].GetProperty("actor").GetString(), audit[1].GetProperty("result").GetString()));
    }

    [Fact]
    public async Task ATrader_MayTightenRiskLimits_ButNotLoosenThem()
    {
        using var desk = Desk();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        object Overrides(string key, object value) => new { overrides = new Dictionary<string, object> { [key] = value } };

        Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostAsJsonAsync("/api/flash-arb/start", Overrides("MAX_DAILY_LOSS_GBP", 5000))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostAsJsonAsync("/api/flash-arb/start", Overrides("MAX_DAILY_LOSS_GBP", 0))).StatusCode); // 0 = no limit
        Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostAsJsonAsync("/api/flash-arb/start", Overrides("MAX_NOTIONAL_PER_TRADE", 20000))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await trader.PostAsJsonAsync("/api/flash-arb/start", Overrides("TRADING_WINDOW_UTC", "04:59-21:00"))).StatusCode);
        Assert.Equal("stopped", (await trader.GetFromJsonAsync<JsonElement>("/api/flash-arb/status")).GetProperty("state").GetString());

        var tightened = await trader.PostAsJsonAsync("/api/flash-arb/start", new { overrides = new Dictionary<string, object> { ["MAX_DAILY_LOSS_GBP"] = 100, ["TRADING_WINDOW_UTC"] = "06:00-20:00" } });

        Assert.Equal(HttpStatusCode.OK, tightened.StatusCode);
        var parameters = (await trader.GetFromJsonAsync<JsonElement>("/api/flash-arb/status")).GetProperty("view").GetProperty("parameters");
        Assert.Equal(("100", "06:00-20:00"), (parameters.GetProperty("MAX_DAILY_LOSS_GBP").GetString(), parameters.GetProperty("TRADING_WINDOW_UTC").GetString()));
    }

    public static TheoryData<string, string> BadStarts => new()
    {
        { """{"overrides":{"LENDER_KEY":"0x01"}}""", "overrides.LENDER_KEY" },
        { """{"overrides":{"SPREAD_MIN":"cheap"}}""", "overrides.SPREAD_MIN" },
        { """{"overrides":{"TRADING_WINDOW_UTC":"all day"}}""", "overrides.TRADING_WINDOW_UTC" },
        { """{"overrides":{"MAX_NOTIONAL_PER_TRADE":1e30}}""", "overrides.MAX_NOTIONAL_PER_TRADE" },
        { """{"overrides":{"SPREAD_MIN":{"a":1}}}""", "overrides.SPREAD_MIN" },
    };

    [Theory]
    [MemberData(nameof(BadStarts))]
    public async Task ABadOverride_Is400NamingIt_AndNothingStarts(string body, string field)
    {
        using var desk = Desk();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);

        var response = await trader.PostAsync("/api/flash-arb/start", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Equal("stopped", (await trader.GetFromJsonAsync<JsonElement>("/api/flash-arb/status")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task TheControlPlane_NeedsATrader_AndTakesTenCallsAMinutePerKey()
    {
        using var desk = Desk();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await desk.ClientWithKey(DeskFactory.ViewerKey).PostAsync("/api/flash-arb/stop", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.ClientWithKey(null).GetAsync("/pnl")).StatusCode);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++) statuses.Add((await trader.GetAsync("/api/flash-arb/status")).StatusCode);

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 10).Append(HttpStatusCode.TooManyRequests), statuses);
        Assert.Equal(HttpStatusCode.OK, (await desk.ClientWithKey(DeskFactory.AdminKey).GetAsync("/api/flash-arb/status")).StatusCode); // another key, its own budget
        Assert.Equal(HttpStatusCode.OK, (await trader.GetAsync("/pnl")).StatusCode); // the document's read paths are not the control plane
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=1e19")]
    [InlineData("limit=abc")]
    public async Task ABadTradesLimit_Is400(string query)
    {
        using var desk = Desk();

        var response = await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync($"/trades?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Diagnostics_ReportTheSettingsByName_AndTheVenues_NeverASecret()
    {
        using var desk = Desk();

        var report = await (await desk.ClientWithKey(DeskFactory.TraderKey).PostAsync("/api/flash-arb/diagnostics", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
        Assert.Contains(report.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "venue GB-SPOT-30");
        Assert.Equal(["ICE_API_URL", "ICE_API_KEY", "ICE_API_SECRET", "ICE_SYMBOL"],
            report.GetProperty("settings").GetProperty("toggles").GetProperty("USE_ICE_LIVE").GetProperty("missing").EnumerateArray().Select(e => e.GetString()));
    }
}

/// <summary>/healthz reports the flash-arb dependencies to a viewer key, and fails only on an enabled one; anyone gets the state, from probes at most 5 s old.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task APaperDesk_IsReady_WithTheFlashArbChecksReportedAsNotEnabled()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>());

        var response = await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/healthz");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("checks").GetProperty("store").GetProperty("ok").GetBoolean());
        Assert.False(body.GetProperty("checks").GetProperty("venues").GetProperty("enabled").GetBoolean());
        Assert.False(body.GetProperty("checks").GetProperty("chain").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task ALiveVenueThatCannotBeReached_MakesTheDesk503_NamingIt()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["USE_ICE_LIVE"] = "1", ["ICE_API_URL"] = "http://127.0.0.1:9", ["ICE_API_KEY"] = "k", ["ICE_API_SECRET"] = "s", ["ICE_SYMBOL"] = "UKBASE-M",
        });

        var response = await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/healthz");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, body.ToString());
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        var venues = body.GetProperty("checks").GetProperty("venues");
        Assert.False(venues.GetProperty("ok").GetBoolean());
        Assert.Contains("ICE UKBASE-M", venues.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnAnonymousCaller_GetsOnlyTheState_AndCannotMakeTheDeskProbeAVenueOnEveryCall()
    {
        await using var ice = await Phoenyra.Tests.Shared.LocalServer.Start((context, _) => context.Response.WriteAsync("""{"bid":50.1,"ask":50.4}"""));
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["USE_ICE_LIVE"] = "1", ["ICE_API_URL"] = ice.Address.ToString(), ["ICE_API_KEY"] = "k", ["ICE_API_SECRET"] = "s", ["ICE_SYMBOL"] = "UKBASE-M",
        });
        var anonymous = desk.ClientWithKey(null);

        var answers = new List<string>();
        for (var i = 0; i < 20; i++) answers.Add(await (await anonymous.GetAsync("/healthz")).Content.ReadAsStringAsync());

        Assert.All(answers, a => Assert.Equal("""{"status":"ok"}""", a)); // no URLs, quotes or exception text
        Assert.InRange(ice.Requests.Count(r => r.Path.Contains("/marketdata/")), 1, 2);
        var detail = await desk.ClientWithKey(DeskFactory.ViewerKey).GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Contains("ICE UKBASE-M 50.1/50.4", detail.GetProperty("checks").GetProperty("venues").GetProperty("detail").GetString());
    }
}
