using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Tests.Shared;

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
        // The risk policy refuses the futures sale (GB-BASE-M exposure limit 1 MWh) and, once the power
        // buy has taken the only token of the arb's GB-SPOT-30 bucket (one more every 2 s), the unwind
        // sent milliseconds later (rate limited).
        var shipped = await File.ReadAllTextAsync(RepoPaths.File("policy.yaml"));
        var policy = Path.Combine(Path.GetTempPath(), $"phoenyra-unwind-policy-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(policy, shipped
            .Replace("  GB-SPOT-30:\n", "  GB-SPOT-30:\n    key_rate_per_second: 0.5\n    key_burst: 1\n")
            .Replace("  GB-BASE-M:\n    max_exposure_mwh: 100000", "  GB-BASE-M:\n    max_exposure_mwh: 1"));
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Trading:PolicyFile"] = policy,
            ["Phoenyra:Strategies:Instances:1:BarSeconds"] = "0.1",
        });
        var trader = desk.ClientWithKey(DeskFactory.TraderKey);
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        using var alerts = desk.Services.GetRequiredService<IBus>().Subscribe<StrategyAlert>();
        using var stop = new CancellationTokenSource();
        var feed = desk.FeedGbPrices(stop.Token);

        await admin.PostAsJsonAsync("/api/flash-arb/start",
            new { overrides = new Dictionary<string, object> { ["ALLOW_WEEKEND_TRADING"] = true, ["TRADING_WINDOW_UTC"] = "00:00-00:00" } });
        JsonElement status = default;
        for (var i = 0; i < 600; i++)
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
        var open = Open(cycle.GetProperty("open")[0]);
        Assert.Equal(("GB-SPOT-30", "long"), (open.Venue, open.Position));
        Assert.True(open.Quantity > 0);
        Assert.Contains($"{open.Quantity} MW long on GB-SPOT-30 left open", cycle.GetProperty("problem").GetString());
        Assert.Contains("rate_limited", cycle.GetProperty("problem").GetString());
        Assert.Equal(open.Quantity, await Net(desk));
        Assert.True(alerts.Reader.TryRead(out var alert));
        Assert.Equal(("flash-arb-1", "unwind_failed"), (alert.StrategyId, alert.Trigger));
        var halt = (await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=strategy.halt")).GetProperty("entries")[0];
        Assert.Contains("unwind_failed", halt.GetRawText());
        Assert.Equal((HttpStatusCode)409, (await admin.PostAsJsonAsync("/api/flash-arb/start", new { })).StatusCode);

        // The limits are put back; the operator flattens the naked leg.
        await File.WriteAllTextAsync(policy, shipped);
        (await admin.PostAsync("/admin/policy/reload", null)).EnsureSuccessStatusCode();
        var flatten = await (await trader.PostAsJsonAsync("/api/strategies/flash-arb-1/flatten", new { side = "both" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(flatten.GetProperty("flat").GetBoolean(), flatten.GetRawText());
        Assert.Equal(0m, await Net(desk));
        var view = (await trader.GetFromJsonAsync<JsonElement>("/api/strategies/flash-arb-1")).GetProperty("view");
        Assert.Empty(view.GetProperty("open").EnumerateArray());
    }

    private static (string? Venue, string? Position, decimal Quantity) Open(JsonElement leg) =>
        (leg.GetProperty("venue").GetString(), leg.GetProperty("position").GetString(), leg.GetProperty("quantity").GetDecimal());

    private static async Task<decimal> Net(DeskFactory desk) =>
        (await desk.Services.GetRequiredService<Phoenyra.Trading.TradingDesk>().AccountPositions("flash-arb-1"))
            .SingleOrDefault(p => p.Position.Market == "GB-SPOT-30")?.Position.NetQuantity ?? 0m;
}
