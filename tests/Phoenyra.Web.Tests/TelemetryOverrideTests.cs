using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Phoenyra.Bess;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;

namespace Phoenyra.Web.Tests;

/// <summary>
/// A test reading from the dashboard sliders is held by the simulator while it is in force, so
/// testing a guard never trips the stale-telemetry guard; the override is audited and can be ended.
/// </summary>
public sealed class TelemetryOverrideTests
{
    [Fact]
    public async Task AnOverrideForAHugeUnknownSite_IsRefused_AndTheSiteNameIsCutBeforeTheAuditTheAnswerAndTheMetrics()
    {
        using var desk = new DeskFactory();
        var admin = desk.ClientWithKey(DeskFactory.AdminKey);
        var site = "site-" + new string('x', 5000);

        var refused = await admin.PostAsJsonAsync("/telemetry/bess", new { soc_percent = 50.0, active_power_mw = 0.0, temperature_c = 25.0, site });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.InRange((await refused.Content.ReadAsStringAsync()).Length, 1, 1000);
        var entry = (await admin.GetFromJsonAsync<JsonElement>("/admin/audit?action=telemetry.override")).GetProperty("entries")[0];
        Assert.StartsWith("rejected: site: 'site-xxx", entry.GetProperty("result").GetString());
        Assert.InRange(entry.GetRawText().Length, 1, 1000);
        Assert.DoesNotContain(new string('x', 65), await admin.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task AHeldTestReading_KeepsTelemetryFresh_PastTheStaleLimit_AndIsAuditedWithTheKeyId()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var desk = DeskFactory.WithClock(clock, new Dictionary<string, string?> { ["Phoenyra:Bess:Simulator:Enabled"] = "true" });
        var bess = desk.Services.GetRequiredService<BessDesk>();

        Assert.Empty(await bess.Override(12, 0, 25, "test-trader"));

        // policy.yaml: stale after 120 s; the simulator holds the reading for 5 minutes, re-sending it every second.
        for (var second = 0; second < 130; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually(() => bess.Latest?.Time == clock.GetUtcNow());
        }

        Assert.Equal("simulator-hold", bess.Latest!.Source);
        Assert.Equal(12, bess.Latest.SocPercent);
        Assert.False(bess.Guards.Single(g => g.Name == "telemetry-stale").Active);
        Assert.True(bess.Guards.Single(g => g.Name == "soc-low").Active);
        Assert.True(bess.SimulatorPause!.Holding);
        var audit = await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/audit?action=telemetry.override");
        var entry = audit.GetProperty("entries")[0];
        Assert.Equal("test-trader", entry.GetProperty("actor").GetString());
        Assert.Contains("\"soc_percent\":12", entry.GetProperty("after").GetString());

        await bess.ResumeSimulator("test-trader");

        Assert.Null(bess.SimulatorPause);
        var resumed = await desk.ClientWithKey(DeskFactory.AdminKey).GetFromJsonAsync<JsonElement>("/admin/audit?action=simulator.resume");
        Assert.Equal("test-trader", resumed.GetProperty("entries")[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task AnOperatorsReading_IsNotBuriedUnderTheSimulatorsNextStep_WhileItsObserversAreStillBeingTold()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var slow = new SlowObserver();
        using var desk = DeskFactory.WithClock(clock, new Dictionary<string, string?> { ["Phoenyra:Bess:Simulator:Enabled"] = "true" },
            services => services.Insert(0, ServiceDescriptor.Singleton<IEventHandler<TelemetryReceived>>(slow)));
        var bess = desk.Services.GetRequiredService<BessDesk>();
        var intake = desk.Services.GetRequiredService<TelemetryIntake>();
        await Eventually(() => bess.Latest?.Source == "simulator");

        var posted = Task.Run(() => intake.Submit(new TelemetryRequest(12, 0, 25, null, null), TelemetryIntake.OverridePrefix + "test-admin"));
        await slow.Holding.Task; // the operator's reading is stored; the simulator has not been told yet
        clock.Advance(TimeSpan.FromSeconds(1)); // and steps meanwhile

        await Eventually(() => bess.SimulatorPause is not null);
        Assert.Equal((12.0, "override:test-admin"), (bess.Latest!.SocPercent, bess.Latest.Source));
        slow.Release.SetResult();
        Assert.Empty(await posted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => bess.Guards.Single(g => g.Name == "soc-low").Active);
        Assert.Equal(12.0, bess.Latest!.SocPercent);
    }

    /// <summary>An observer ahead of the simulator that takes its time over an operator's reading, as a busy guard or engine loop may.</summary>
    private sealed class SlowObserver : IEventHandler<TelemetryReceived>
    {
        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask Handle(TelemetryReceived reading, CancellationToken cancellationToken)
        {
            if (!reading.Source.StartsWith(TelemetryIntake.OverridePrefix, StringComparison.Ordinal)) return;
            Holding.TrySetResult();
            await Release.Task;
        }
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition()) await Task.Delay(5, timeout.Token);
    }
}
