using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Web.Tests;

/// <summary>Document 004's control API on the desk's default hedge grid (hedge-grid-1 on DE-ID-15), through the real host.</summary>
public sealed class HedgeGridApiTests
{
    private static DeskFactory Desk() => DeskFactory.With(new Dictionary<string, string?>
    {
        ["Phoenyra:Strategies:Instances:0:BarSeconds"] = "0.1",
        ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "100000",
        ["Phoenyra:Auth:RateLimit:Burst"] = "100000",
    });

    private static Task Reference(DeskFactory desk, decimal price) =>
        desk.Services.GetRequiredService<IBus>().Publish(new ReferencePriceUpdated("DE-ID-15", price, DateTimeOffset.UtcNow, "test")).AsTask();

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> Until(HttpClient client, string path, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var body = await client.GetFromJsonAsync<JsonElement>(path);
            if (condition(body)) return body;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what}; last {path}: {body}");
            await Task.Delay(50);
        }
    }

    private static int Resting(JsonElement ladders, string side) =>
        ladders.GetProperty(side).EnumerateArray().Count(r => r.GetProperty("state").GetString() == "resting");

    [Fact]
    public async Task AnOperator_StartsTheGrid_ThrottlesIt_AndFlattensIt_WithTheSeedsPathsAndShapes()
    {
        using var desk = Desk();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var health = await trader.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal(JsonValueKind.Null, health.GetProperty("last_bar").ValueKind);

        var started = await Json(await trader.PostAsync("/start", null));
        Assert.Equal("started", started.GetProperty("status").GetString());
        await Reference(desk, 90m);
        var ladders = await Until(trader, "/ladders", l => Resting(l, "long_ladder") == 5 && Resting(l, "short_ladder") == 5, "five resting rungs a side");
        Assert.Equal(0, ladders.GetProperty("long_ladder")[0].GetProperty("rung").GetInt32());
        Assert.True(ladders.GetProperty("long_ladder")[0].GetProperty("price").GetDecimal() < ladders.GetProperty("mid_price").GetDecimal());
        var orders = await trader.GetFromJsonAsync<JsonElement>("/orders");
        Assert.Equal(10, orders.GetProperty("count").GetInt32());
        Assert.StartsWith("HG1-", orders.GetProperty("orders")[0].GetProperty("client_order_id").GetString());
        Assert.True((await trader.GetFromJsonAsync<JsonElement>("/health")).GetProperty("last_bar").GetDouble() > 1.7e9);

        var throttled = await Json(await trader.PostAsJsonAsync("/set-throttle", new { throttle = 0.5 }));
        Assert.Equal(0.5m, throttled.GetProperty("new_throttle").GetDecimal());
        await Reference(desk, 90.01m);
        await Until(trader, "/ladders", l => Resting(l, "long_ladder") == 3 && Resting(l, "short_ladder") == 3, "three rungs a side at throttle 0.5");

        var flattened = await Json(await trader.PostAsJsonAsync("/flatten", new { side = "both" }));
        Assert.Equal("flattening", flattened.GetProperty("status").GetString());
        Assert.True(flattened.GetProperty("cancelled_orders").GetInt32() >= 3);
        Assert.Equal(["LONG", "SHORT"], flattened.GetProperty("closing_positions").EnumerateArray().Select(e => e.GetString()));
        var status = await Until(trader, "/status", s => s.GetProperty("open_orders").GetInt32() == 0, "no open orders");
        Assert.False(status.GetProperty("running").GetBoolean());
        Assert.Equal(0m, status.GetProperty("positions").GetProperty("long").GetProperty("quantity").GetDecimal());
        Assert.Equal(0m, status.GetProperty("positions").GetProperty("short").GetProperty("quantity").GetDecimal());

        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        foreach (var action in new[] { "strategy.start", "strategy.throttle", "strategy.flatten" })
            Assert.Equal("test-trader", (await admin.GetFromJsonAsync<JsonElement>($"/admin/audit?action={action}")).GetProperty("entries")[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task TheSamePaths_AddressAnyInstance_UnderApiStrategies()
    {
        using var desk = Desk();
        var viewer = desk.ClientWithKey(DeskFactory.ViewerKey);

        var list = await viewer.GetFromJsonAsync<JsonElement>("/api/strategies");
        var strategies = list.GetProperty("strategies").EnumerateArray().ToList();
        Assert.Equal(["hedge-grid-1", "flash-arb-1", "bess-autotrader"], strategies.Select(s => s.GetProperty("id").GetString()));
        var grid = strategies[0];
        Assert.Equal(("hedge-grid-1", "hedge-grid", "DE-ID-15", "stopped"),
            (grid.GetProperty("id").GetString(), grid.GetProperty("kind").GetString(), grid.GetProperty("market").GetString(), grid.GetProperty("state").GetString()));
        foreach (var path in new[] { "status", "ladders", "orders" })
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/strategies/hedge-grid-1/{path}")).StatusCode);
        var unknown = await viewer.GetAsync("/api/strategies/nope/status");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("GET /api/strategies", await unknown.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/flatten", """{"side":"sideways"}""", "side" },
        { "/flatten", """{"side":7}""", "" },
        { "/set-throttle", """{"throttle":2}""", "throttle" },
        { "/throttle", """{"throttle":-0.1}""", "throttle" },
        { "/throttle", """{"throttle":1e30}""", "" },
        { "/throttle", """{"throttle":"fast"}""", "" },
        { "/throttle", """{}""", "throttle" },
        { "/throttle", "not json", "" },
        { "/api/strategies/hedge-grid-1/reset", """{"reason":" "}""", "reason" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInput_Is400NamingTheField_AndChangesNothing(string path, string body, string field)
    {
        using var desk = Desk();
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);

        var response = await trader.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        var status = await trader.GetFromJsonAsync<JsonElement>("/status");
        Assert.Equal((1m, "stopped"), (status.GetProperty("throttle").GetDecimal(), status.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task ResetWithoutAHalt_IsRefusedWithTheReason()
    {
        using var desk = Desk();

        var reset = await desk.ClientWithKey(DeskFactory.TraderKey).PostAsJsonAsync("/api/strategies/hedge-grid-1/reset", new { reason = "nothing to reset" });

        Assert.Equal(HttpStatusCode.Conflict, reset.StatusCode);
        Assert.Contains("not halted", await reset.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Orders_IsTheApiForAKey_AndTheDashboardPageForABrowser()
    {
        using var desk = Desk();
        var browser = desk.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Add("Accept", "text/html,application/xhtml+xml");

        var api = await desk.ClientWithKey(DeskFactory.ViewerKey).GetAsync("/orders");
        var page = await browser.GetAsync("/orders");

        Assert.Equal("application/json", api.Content.Headers.ContentType?.MediaType);
        Assert.NotEqual("application/json", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.ClientWithKey(null).GetAsync("/status")).StatusCode);
    }

    [Fact]
    public async Task Metrics_HaveDocument004sFifteenGauges_LabelledWithTheInstrument()
    {
        using var desk = Desk();
        var scrape = await desk.ClientWithKey(DeskFactory.ViewerKey).GetStringAsync("/metrics");

        string[] names =
        [
            "hedgegrid_long_inventory_usdt", "hedgegrid_short_inventory_usdt", "hedgegrid_net_inventory_usdt",
            "hedgegrid_active_rungs_long", "hedgegrid_active_rungs_short", "hedgegrid_open_orders",
            "hedgegrid_margin_ratio", "hedgegrid_maker_ratio", "hedgegrid_funding_rate_current",
            "hedgegrid_funding_cost_1h_projected_usdt", "hedgegrid_realized_pnl_usdt", "hedgegrid_unrealized_pnl_usdt",
            "hedgegrid_total_pnl_usdt", "hedgegrid_uptime_seconds", "hedgegrid_last_bar_timestamp",
        ];
        foreach (var name in names)
        {
            Assert.Contains($"# TYPE {name} gauge", scrape);
            Assert.Contains($"{name}{{instrument=\"DE-ID-15\",strategy=\"hedge-grid-1\"}}", scrape);
        }
        Assert.Equal(15, scrape.Split('\n').Count(l => l.StartsWith("# TYPE hedgegrid_", StringComparison.Ordinal)));
        Assert.Contains("EUR", scrape.Split('\n').Single(l => l.StartsWith("# HELP hedgegrid_total_pnl_usdt", StringComparison.Ordinal)));
        Assert.Contains("no funding", scrape.Split('\n').Single(l => l.StartsWith("# HELP hedgegrid_funding_rate_current", StringComparison.Ordinal)));
    }
}
