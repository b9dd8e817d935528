using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Cycle;
using Phoenyra.Strategies.FlashArb.Loan;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;
using Phoenyra.Strategies.HedgeGrid;

namespace Phoenyra.Strategies.Runtime;


/// <summary>Builds a configured instance's strategy by its kind, or says why it cannot run here.</summary>
internal sealed class StrategyFactory(IBus bus, StrategyJournal journal, IOptions<FlashArbSettings> flashArb, FlashArbMetrics flashArbMetrics, TimeProvider time)
{
    public async Task<(IStrategy? Strategy, string? Problem)> Create(StrategyOptions settings, MarketInfo market, IOrderGateway gateway, ILogger logger, CancellationToken ct)
    {
        if (settings.Kind == StrategyKinds.HedgeGrid)
            return (new HedgeGridV1(settings.HedgeGrid, new GridInstrument(market.Market, market.Tick, market.Lot, market.ProductHours),
                market.MaxExposureEur, gateway, settings.Id, logger, e => { journal.Append(settings.Id, e); return ValueTask.CompletedTask; }), null);
        if (settings.Kind == StrategyKinds.BessAutoTrader)
            return (new BessAutoTrader.BessAutoTraderStrategy(settings.Id, market, bus, gateway, settings.KillSwitch, time, logger), null);

        var arb = flashArb.Value;
        if (await bus.Send(new GetMarketInfo(settings.FuturesMarket!), ct) is not { } futuresMarket)
            return (null, $"futures market '{settings.FuturesMarket}' is not configured on this desk");
        // Live venues trade under the rules (lot, product length, order size) of the desk market they stand for.
        ILeg power = arb.UsePowerledgerLive
            ? new PowerledgerLeg(new VenueHttp("Powerledger", new HttpClient(), VenuePatience.Default, time, flashArbMetrics.VenueFaults), arb["POWERLEDGER_API_URL"]!, arb["POWERLEDGER_API_TOKEN"]!,
                arb["POWERLEDGER_ORG"]!, arb["POWERLEDGER_MARKET"]!, Rules(market))
            : new DeskLeg(bus, settings.Market, settings.Id);
        ILeg futures = arb.UseIceLive
            ? new IceLeg(new VenueHttp("ICE", new HttpClient(), VenuePatience.Default, time, flashArbMetrics.VenueFaults), arb["ICE_API_URL"]!, arb["ICE_SYMBOL"]!, arb["ICE_API_KEY"]!, arb["ICE_API_SECRET"]!,
                Rules(futuresMarket), time)
            : new DeskLeg(bus, settings.FuturesMarket!, settings.Id);
        IFlashLender lender = arb.UseWeb3Loan
            ? new Web3FlashLender(arb["HARDHAT_RPC"]!, arb["FLASH_LOAN_CONTRACT"]!, arb["FLASH_LOAN_RECEIVER"]!, arb["LENDER_KEY"]!,
                arb["POWER_SETTLEMENT_ADDRESS"]!, arb["FUTURES_SETTLEMENT_ADDRESS"]!)
            : new InProcessFlashLender(arb.LoanLimitGbp, arb.FlashLoanFeeBps);
        return (new FlashArbStrategy(settings.Id, arb, power, futures, lender, flashArbMetrics, journal, bus, logger), null);
    }

    private static LegQuote Rules(MarketInfo market) => new(null, null, market.ProductHours, market.Lot, market.MaxOrderMw);
}
