using Microsoft.Extensions.DependencyInjection;
using Phoenyra.Core.Contracts;

namespace Phoenyra.Trading.Tests;

/// <summary>A market in another currency keeps its own prices and PnL; the desk totals value it in EUR at Phoenyra:Trading:FxToEur.</summary>
public sealed class CurrencyTests
{
    [Fact]
    public async Task AGbpPosition_CountsInTheDeskTotals_AtTheConfiguredRate()
    {
        await using var host = await TradingHost.Start(marketMaker: true, extra: new()
        {
            ["Phoenyra:Trading:Markets:1:Currency"] = "GBP",
            ["Phoenyra:Trading:FxToEur:GBP"] = "1.2",
        });
        var gbp = host.Engine("DE-ID-60");
        gbp.SetReference(80m);
        await gbp.Query(_ => true);

        var fill = await host.Limit(OrderSide.Buy, 1m, 80.2m, tif: TimeInForce.Ioc, market: "DE-ID-60");

        Assert.Equal(80.2m, fill.AveragePrice);
        var desk = host.Services.GetRequiredService<TradingDesk>();
        var position = desk.Positions.Single(p => p.Market == "DE-ID-60");
        Assert.Equal(position.ExposureNotionalEur * 1.2m, desk.Totals.ExposureNotionalEur);
        Assert.Equal("GBP", desk.Market("DE-ID-60")!.Currency);
    }

    [Fact]
    public async Task AMarketInACurrencyWithoutARate_StopsStartUpNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TradingHost.Start(extra: new() { ["Phoenyra:Trading:Markets:1:Currency"] = "GBP" }));

        Assert.Contains("Phoenyra:Trading:FxToEur:GBP (EUR per GBP) is not set", error.ToString());
    }
}
