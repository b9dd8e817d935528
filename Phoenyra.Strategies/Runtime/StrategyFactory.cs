using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.HedgeGrid;

namespace Phoenyra.Strategies.Runtime;

/// <summary>Builds a configured instance's strategy by its kind, or says why it cannot run here.</summary>
internal sealed class StrategyFactory(IBus bus, StrategyJournal journal, IOptions<FlashArbSettings> flashArb, FlashArbMetrics flashArbMetrics)
{
    public async Task<(IStrategy? Strategy, string? Problem)> Create(StrategyOptions settings, MarketInfo market, IOrderGateway gateway, ILogger logger, CancellationToken ct)
    {
        if (settings.Kind == StrategyKinds.HedgeGrid)
            return (new HedgeGridV1(settings.HedgeGrid, new GridInstrument(market.Market, market.Tick, market.Lot, market.ProductHours),
                market.MaxExposureEur, gateway, settings.Id, logger, e => { journal.Append(settings.Id, e); return ValueTask.CompletedTask; }), null);

        var arb = flashArb.Value;
        if (await bus.Send(new GetMarketInfo(settings.FuturesMarket!), ct) is null)
            return (null, $"futures market '{settings.FuturesMarket}' is not configured on this desk");
        var live = new[] { ("USE_POWERLEDGER_LIVE", arb.UsePowerledgerLive), ("USE_ICE_LIVE", arb.UseIceLive), ("USE_WEB3_LOAN", arb.UseWeb3Loan), ("USE_LIVE_FEED", arb.UseLiveFeed) }
            .Where(t => t.Item2).Select(t => t.Item1).ToList();
        if (live.Count > 0)
            return (null, $"{string.Join(", ", live)}: the live adapters and the on-chain lender are not in this build yet; set {string.Join(", ", live.Select(l => l + "=0"))} to run on the desk's paper markets");
        var lender = new InProcessFlashLender(arb.LoanLimitGbp, arb.FlashLoanFeeBps);
        return (new FlashArbStrategy(settings.Id, arb, new DeskLeg(bus, settings.Market, settings.Id), new DeskLeg(bus, settings.FuturesMarket!, settings.Id),
            lender, flashArbMetrics, journal, bus, logger), null);
    }
}
