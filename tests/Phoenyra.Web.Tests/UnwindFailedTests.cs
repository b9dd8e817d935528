using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Web.Tests;

/// <summary>
/// A flash-arb cycle whose unwind is refused never reports itself as unwound: it is
/// <c>unwind_failed</c> with the open quantity, and the strategy halts (kill switch, alert, audit)
/// with the naked leg on its status until a flatten closes it.
/// </summary>
public sealed class UnwindFailedTests
{
    [Fact]
    public async Task ARefusedUnwind_IsUnwindFailed_WithTheOpenQuantity_HaltsTheStrategy_AndAFlattenClosesTheLegLater()
    {
        // A site (mis)configured to deliver into both GBP markets: at 12 % SoC its SELL guard refuses the
        // futures sale (the position is flat: it would open a short) and then the power leg's unwind.
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Bess:Sites:0:Markets:0"] = "GB-SPOT-30",
            ["Phoenyra:Bess:Sites:0:Markets:1"] = "GB-BASE-M",
            ["Phoenyra:Strategies:Instances:1:BarSeconds"] = "0.1",
        });
        var device = desk.ClientWithKey(DeskFactory.DeviceKey);
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        using var alerts = desk.Services.GetRequiredService<IBus>().Subscribe<StrategyAlert>();
        using var stop = new CancellationTokenSource();
        var feed = Prices(desk, stop.Token);
        await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 12.0, active_power_mw = 0.0, temperature_c = 25.0 });

        await admin.PostAsJsonAsync("/api/flash-arb/start",
            new { overrides = new Dictionary<string, object> { ["ALLOW_WEEKEND_TRADING"] = true, ["TRADING_WINDOW_UTC"] = "00:00-00:00" } });
        JsonElement status = default;
        for (var i = 0; i < 200; i++)
        {
            status = await trader.GetFromJsonAsync<JsonElement>("/api/strategies/flash-arb-1");
            if (status.GetProperty("state").GetString() == "halted") break;
            await Task.Delay(50);
        }
        stop.Cancel();
        await feed;

        Assert.Equal("halted", status.GetProperty("state").GetString());
        Assert.Equal("unwind_failed", status.GetProperty("last_trip").GetProperty("trigger").GetString());
        Assert.False(status.GetProperty("last_trip").GetProperty("flat").GetBoolean()); // the kill switch's flatten was refused too
        var cycle = (await trader.GetFromJsonAsync<JsonElement>("/trades?limit=5")).GetProperty("trades").EnumerateArray()
            .First(c => c.GetProperty("outcome").GetString() == "unwind_failed");
        Assert.Equal(("GB-SPOT-30", "long", 5m), Open(cycle.GetProperty("open")[0]));
        Assert.Contains("5 MW long on GB-SPOT-30 left open", cycle.GetProperty("problem").GetString());
        Assert.Contains("side_blocked", cycle.GetProperty("problem").GetString());
        Assert.Equal(5m, await Net(desk));
        Assert.True(alerts.Reader.TryRead(out var alert));
        Assert.Equal(("flash-arb-1", "unwind_failed"), (alert.StrategyId, alert.Trigger));
        var halt = (await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=strategy.halt")).GetProperty("entries")[0];
        Assert.Contains("unwind_failed", halt.GetRawText());
        Assert.Equal((HttpStatusCode)409, (await admin.PostAsJsonAsync("/api/flash-arb/start", new { })).StatusCode);

        // The battery recovers; the operator flattens the naked leg.
        await device.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 30.0, active_power_mw = 0.0, temperature_c = 25.0 });
        var flatten = await (await trader.PostAsJsonAsync("/api/strategies/flash-arb-1/flatten", new { side = "both" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(flatten.GetProperty("flat").GetBoolean(), flatten.GetRawText());
        Assert.Equal(0m, await Net(desk));
        var view = (await trader.GetFromJsonAsync<JsonElement>("/api/strategies/flash-arb-1")).GetProperty("view");
        Assert.Empty(view.GetProperty("open").EnumerateArray());
    }

    private static (string?, string?, decimal) Open(JsonElement leg) =>
        (leg.GetProperty("venue").GetString(), leg.GetProperty("position").GetString(), leg.GetProperty("quantity").GetDecimal());

    private static async Task<decimal> Net(DeskFactory desk) =>
        (await desk.Services.GetRequiredService<Phoenyra.Trading.TradingDesk>().AccountPositions("flash-arb-1"))
            .SingleOrDefault(p => p.Position.Market == "GB-SPOT-30")?.Position.NetQuantity ?? 0m;

    private static async Task Prices(DeskFactory desk, CancellationToken stop)
    {
        var bus = desk.Services.GetRequiredService<IBus>();
        while (!stop.IsCancellationRequested)
        {
            await bus.Publish(new ReferencePriceUpdated("GB-SPOT-30", 80m, DateTimeOffset.UtcNow, "test"));
            await bus.Publish(new ReferencePriceUpdated("GB-BASE-M", 83m, DateTimeOffset.UtcNow, "test"));
            await Task.Delay(50);
        }
    }
}
