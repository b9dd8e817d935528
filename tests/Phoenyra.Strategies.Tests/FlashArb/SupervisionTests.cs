using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Contracts;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies.Tests.FlashArb;

/// <summary>An exception in a cycle is counted and the loop backs off 2, 4, 8, 16, then 30 s, and recovers when the cause goes.</summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task AFailingCycle_BacksOffTwoFourEightSixteenThirty_AndRecovers()
    {
        var power = new FlakyLeg();
        var settings = FlashArbSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ALLOW_WEEKEND_TRADING"] = "1", ["TRADING_WINDOW_UTC"] = "00:00-00:00" }).Build());
        using var meters = new TestMeters();
        var strategy = new FlashArbStrategy("arb", settings, power, new FlakyLeg { Broken = false }, new InProcessFlashLender(100_000m, 5m),
            new FlashArbMetrics(meters), null!, null!, NullLogger.Instance);
        var t = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        var waits = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            await strategy.OnBar(new Bar(t, 80, 79.8m, 80.2m, 80), default);
            var view = (FlashArbView)strategy.View();
            waits.Add((view.RetryAt!.Value - t).TotalSeconds);
            await strategy.OnBar(new Bar(t.AddSeconds(1), 80, 79.8m, 80.2m, 80), default); // inside the back-off: not even tried
            t = view.RetryAt.Value;
        }
        var calls = power.Quotes;
        power.Broken = false;
        await strategy.OnBar(new Bar(t, 80, 79.8m, 80.2m, 80), default);

        Assert.Equal([2, 4, 8, 16, 30, 30], waits);
        Assert.Equal(6, calls); // one try per back-off
        var recovered = (FlashArbView)strategy.View();
        Assert.True(recovered.RetryAt is null, recovered.LastError);
        Assert.Equal(6, recovered.Restarts);
        Assert.Contains("InvalidOperationException: venue down", recovered.LastError);
    }

    private sealed class FlakyLeg : ILeg
    {
        public bool Broken { get; set; } = true;
        public int Quotes { get; private set; }
        public string Name => "flaky";

        public Task<LegQuote?> Quote(CancellationToken ct)
        {
            Quotes++;
            return Broken ? throw new InvalidOperationException("venue down") : Task.FromResult<LegQuote?>(new LegQuote(79.8m, 80.2m, 0.5m, 0.1m));
        }

        public Task<LegFill> Trade(OrderSide side, decimal quantity, decimal? limit, string clientOrderId, CancellationToken ct) => Task.FromResult(LegFill.None);
    }
}
