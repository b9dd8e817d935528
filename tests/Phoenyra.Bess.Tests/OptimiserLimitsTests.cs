using Microsoft.Extensions.Time.Testing;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Core.Prices;

namespace Phoenyra.Bess.Tests;

/// <summary>The optimiser panel's limits: rows and bad rows per file, one run at a time per desk, a time limit.</summary>
public sealed class OptimiserLimitsTests
{
    private static IEnumerable<string> Rows(int count, Func<int, string> row) =>
        new[] { "timestamp_utc,price_eur_mwh" }.Concat(Enumerable.Range(0, count).Select(row));

    [Fact]
    public void AFileLongerThanTheCap_IsRefusedSayingSo()
    {
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var lines = Rows(PriceLibrary.MaxRows + 5, i => $"{start.AddMinutes(15 * i):O},50");

        var error = Assert.Throws<FormatException>(() => CsvPriceFile.Parse(lines, PriceLibrary.MaxRows, PriceLibrary.MaxErrors));

        Assert.Contains("More than 175,400 rows", error.Message);
    }

    [Fact]
    public void AFileOfGarbage_StopsAfterTheErrorCap_NamingTheFirstBadRow()
    {
        var error = Assert.Throws<FormatException>(() => CsvPriceFile.Parse(Rows(1_000_000, i => $"nonsense-{i},x"), PriceLibrary.MaxRows, PriceLibrary.MaxErrors));

        Assert.Contains("More than 1,000 bad rows (the first: line 2, timestamp_utc 'nonsense-0' is not an ISO 8601 time)", error.Message);
    }

    [Fact]
    public async Task OneRunAtATime_ASecondIsToldWhoIsRunning_AndTheGateOpensWhenTheFirstEnds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero));
        var gate = new OptimiserGate(clock);
        using var release = new ManualResetEventSlim();
        var first = gate.Run(() => { release.Wait(); return Result(); }, "alice");

        var busy = await Assert.ThrowsAsync<OptimiserUnavailableException>(() => gate.Run(Result, "bob"));
        release.Set();
        await first;
        var third = await gate.Run(Result, "bob");

        Assert.Equal("Another optimisation is running (started by alice at 09:15:00 UTC); try again when it has finished.", busy.Message);
        Assert.NotNull(third);
    }

    [Fact]
    public async Task ARunPastTheTimeLimit_IsAbandonedWithAClearMessage_ButHoldsTheGateUntilItsWorkEnds()
    {
        var clock = new FakeTimeProvider();
        var gate = new OptimiserGate(clock);
        using var release = new ManualResetEventSlim();
        var slow = gate.Run(() => { release.Wait(); return Result(); }, "alice");

        await Task.Delay(50);
        clock.Advance(OptimiserGate.Timeout + TimeSpan.FromSeconds(1));
        var timedOut = await Assert.ThrowsAsync<OptimiserUnavailableException>(() => slow);
        var stillBusy = await Assert.ThrowsAsync<OptimiserUnavailableException>(() => gate.Run(Result, "bob"));
        release.Set();

        Assert.Contains("stopped waiting after 60 s", timedOut.Message);
        Assert.Contains("started by alice", stillBusy.Message);
        for (var i = 0; i < 100; i++)
        {
            try { await gate.Run(Result, "bob"); return; }
            catch (OptimiserUnavailableException) { await Task.Delay(20); }
        }
        Assert.Fail("the gate never opened after the slow run ended");
    }

    private static OptimisationResult Result() =>
        StorageOptimiser.Solve([10, 80, 20, 90], 1, StorageParameters.FromRoundTrip(1, 2, 0.9, null));
}
