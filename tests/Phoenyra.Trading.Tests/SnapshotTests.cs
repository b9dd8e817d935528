using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;
using Phoenyra.Trading.Snapshots;

namespace Phoenyra.Trading.Tests;

/// <summary>
/// Snapshots bound the replay at start: a desk restarted from a snapshot plus the journal after it
/// holds exactly what a full replay rebuilds — open orders in queue order, closed orders, the tape,
/// the desk's and every account's position, prices — and trades on from there alike.
/// </summary>
public sealed class SnapshotTests
{
    private static readonly Dictionary<string, string?> OftenSnapshots = new() { ["Phoenyra:Trading:Snapshots:EveryRecords"] = "1000" };

    [Fact]
    public async Task SnapshotPlusTail_EqualsAFullReplay_AndTheDeskTradesOnAlike()
    {
        await using var host = await TradingHost.Start(extra: OftenSnapshots);
        await Trade(host, 0, 600);
        var snapshot = await Eventually(() => host.Services.GetRequiredService<SnapshotStore>().Latest());
        await Trade(host, 600, 150); // the tail after the snapshot

        await host.Restart();
        Assert.NotNull(host.Exchange.LastSnapshot);
        Assert.True(host.Exchange.LastReplay.Records < host.JournalCount(), "the start replayed the whole journal despite the snapshot");
        var fromSnapshot = State(host);

        await using var full = await TradingHost.Start(extra: new() { ["Phoenyra:Trading:Snapshots:Enabled"] = "false" });
        await full.Stop();
        await host.Stop();
        CopyData(host, full);
        await full.Restart();
        Assert.Null(full.Exchange.LastSnapshot);
        var fromFullReplay = State(full);
        await host.Restart();
        var nextFromSnapshot = await host.Limit(OrderSide.Sell, 6m, 40m, account: "zoe", market: "DE-ID-60");

        Assert.True(snapshot.Records >= 1000);
        Assert.Equal(fromFullReplay, fromSnapshot);
        var nextFromFull = await full.Limit(OrderSide.Sell, 6m, 40m, account: "zoe", market: "DE-ID-60");
        Assert.True(nextFromFull.Fills.Count >= 2, "the next order should take several resting bids, in queue order");
        Assert.Equal(nextFromFull.Fills.Select(f => (f.TradeId, f.Price, f.Quantity)), nextFromSnapshot.Fills.Select(f => (f.TradeId, f.Price, f.Quantity)));
    }

    /// <summary>Resting orders on both sides, partial and full fills across accounts and both markets, cancels.</summary>
    private static async Task Trade(TradingHost host, int from, int count)
    {
        var accounts = new[] { "alice", "bob", "carol" };
        for (var i = from; i < from + count; i++)
        {
            var market = i % 3 == 0 ? "DE-ID-15" : "DE-ID-60";
            var account = accounts[i % accounts.Length];
            var result = (i % 5) switch
            {
                0 => await host.Limit(OrderSide.Buy, 1m + i % 4, 40m + i % 7, account, market: market),
                1 => await host.Limit(OrderSide.Sell, 2m, 52m + i % 5, account, market: market),
                2 => await host.Limit(OrderSide.Sell, 1.5m, 38m + i % 6, account, TimeInForce.Ioc, market),
                3 => await host.Limit(OrderSide.Buy, 2.5m, 55m, account, TimeInForce.Ioc, market),
                _ => await host.Limit(OrderSide.Buy, 0.5m, 30m, account, market: market),
            };
            if (i % 11 == 0 && result.OrderId is { } id && result.Status == OrderStatus.Accepted)
                await host.Bus.Send(new CancelOrder(id, account));
        }
    }

    private static string State(TradingHost host) =>
        JsonSerializer.Serialize(host.Exchange.Engines.OrderBy(e => e.Spec.Id).Select(e => e.CaptureState()));

    private static void CopyData(TradingHost from, TradingHost to)
    {
        foreach (var file in Directory.GetFiles(from.DataDir, "*.db*"))
            File.Copy(file, Path.Combine(to.DataDir, Path.GetFileName(file)), overwrite: true);
    }

    private static async Task<T> Eventually<T>(Func<T?> probe) where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } value) return value;
            await Task.Delay(50);
        }
        throw new TimeoutException("no snapshot was taken");
    }
}
