using System.Net.Http.Json;
using System.Text.Json;
using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>
/// The real desk: the auto-trader plans on the demo's day-ahead curve from its first minute (not a
/// flat line), and a restart keeps the forecast, even with no price source running any more.
/// </summary>
public sealed class AutoTraderForecastTests
{
    private const string TraderKey = "forecast-trader-key-0123456789abcdefg";

    [Fact]
    public async Task OnAFreshDemoDesk_ThePlanIsNotFlat_AndARestartKeepsTheForecast()
    {
        await using var desk = new DeskProcess();
        desk.Environment["API_KEY"] = TraderKey;
        await desk.Start();
        using var http = new HttpClient { BaseAddress = new Uri(desk.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-API-Key", TraderKey);

        var switched = await http.PostAsJsonAsync("/api/bess/autotrader", new { enabled = true });
        Assert.True(switched.IsSuccessStatusCode, await switched.Content.ReadAsStringAsync());
        var status = await Until(http, s => s.GetProperty("ahead").EnumerateArray().Any(p => p.GetProperty("planned_mw").GetDouble() != 0));
        Assert.Equal("day-ahead", status.GetProperty("forecast").GetProperty("kind").GetString());
        Assert.Contains("(demo)", status.GetProperty("forecast").GetProperty("detail").GetString());

        desk.Kill();
        desk.Environment["Phoenyra__Trading__DemoPrices__Enabled"] = "false";
        await desk.Start();

        var restarted = await http.GetFromJsonAsync<JsonElement>("/api/bess/autotrader");
        Assert.Equal("day-ahead", restarted.GetProperty("forecast").GetProperty("kind").GetString());
        Assert.Contains("(demo)", restarted.GetProperty("forecast").GetProperty("detail").GetString());
    }

    private static async Task<JsonElement> Until(HttpClient http, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement status;
        do
        {
            status = await http.GetFromJsonAsync<JsonElement>("/api/bess/autotrader");
            if (condition(status)) return status;
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"not within a minute: {status}");
    }
}
