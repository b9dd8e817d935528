using Phoenyra.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Policy;
using Phoenyra.Core.Settings;
using Phoenyra.Trading.Api;
using Phoenyra.Trading.Engine;
using Phoenyra.Trading.History;
using Phoenyra.Trading.Journal;
using Phoenyra.Trading.MarketData;
using Phoenyra.Trading.Markets;
using Phoenyra.Trading.Prices;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading;

public static class TradingModule
{
    /// <summary>Markets, engines, risk, journal, market data, simulated liquidity and price sources.</summary>
    /// <summary>The snapshotter's replica: engines like the live ones, on a portfolio of their own; replay touches nothing else.</summary>
    private static Func<Positions.Portfolio, IReadOnlyDictionary<string, MatchingEngine>> ReplicaEngines(IServiceProvider sp) => portfolio =>
    {
        var settings = sp.GetRequiredService<IOptions<TradingOptions>>().Value;
        return Exchange.Build(settings, new TradingEngineContext(sp.GetRequiredService<TradeJournal>(), sp.GetRequiredService<RiskEngine>(), portfolio,
            new IdSource(), sp.GetRequiredService<TimeProvider>(), settings.MarketMaker, settings.EmaAlpha, TimeSpan.FromSeconds(settings.MarkTradeMaxAgeSeconds),
            settings.RecentLimit, sp.GetRequiredService<TradingMetrics>(), sp.GetRequiredService<ILogger<Snapshots.Snapshotter>>()));
    };

    public static TBuilder AddTradingModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedSettings<TradingOptions>(builder.Configuration, TradingOptions.Section);
        services.AddSingleton<IValidateOptions<TradingOptions>, PolicyFileCheck>();
        services.AddValidatedSettings<DemoPriceOptions>(builder.Configuration, DemoPriceOptions.Section);
        services.AddReservedAccounts(sp => [new(sp.GetRequiredService<IOptions<TradingOptions>>().Value.MarketMaker.Account, "the simulated market maker")]);
        services.AddMigration(JournalSchema.Journal);
        services.AddMigration(JournalSchema.Compact);
        services.AddMigration(JournalSchema.Announce);
        services.AddMigration(PolicyReloader.Schema);
        services.AddMigration(OrderHistoryStore.Schema);
        services.AddMigration(TradeHistory.Schema);
        services.AddMigration(TradeHistory.ClientIdsSchema);
        services.AddSingleton<TradeHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<TradeHistory>());
        services.AddSingleton<OrderHistoryStore>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderHistoryStore>());
        services.AddSingleton<IEventHandler<OrderUpdated>>(sp => sp.GetRequiredService<OrderHistoryStore>());
        services.AddSingleton<IEventHandler<OrderRejected>>(sp => sp.GetRequiredService<OrderHistoryStore>());

        services.AddSingleton<EngineEvents>();
        services.AddSingleton<TradeJournal>();
        services.AddSingleton<Phoenyra.Core.Health.IReadinessCheck, JournalReadiness>();
        services.AddSingleton<IdSource>();
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<TradingOptions>>().Value;
            return new RiskEngine(PolicyReloader.LoadInitial(settings, sp.GetServices<IPolicySection>().ToList()), settings.Markets.Select(m => m.Id));
        });
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<PolicyReloader>(sp, sp.GetServices<IPolicySection>().ToList()));
        services.AddHostedService(sp => sp.GetRequiredService<PolicyReloader>());
        services.AddMigration(DeskGuardStore.Schema);
        services.AddSingleton<DeskGuardStore>();
        services.AddSingleton<IEventHandler<TradingGuardChanged>>(sp => sp.GetRequiredService<DeskGuardStore>());
        services.AddHostedService(sp => sp.GetRequiredService<DeskGuardStore>()); // before the exchange: markets open restricted
        services.AddSingleton<Positions.Portfolio>();
        services.AddSingleton<Exchange>();
        services.AddHostedService(sp => sp.GetRequiredService<Exchange>());
        services.AddHostedService<RevokedKeyOrders>(); // after the exchange: it cancels what the journal restored
        services.AddSingleton<Snapshots.SnapshotStore>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<Snapshots.Snapshotter>(sp, ReplicaEngines(sp)));
        services.AddMetricSet<TradingMetrics>();
        services.AddMetricSet<MarketGauges>();
        services.AddMetricSet<Api.OrderEntry.OrderEntryMetrics>();
        services.AddSingleton<Api.OrderEntry.OrderEntryGate>();
        services.AddSingleton(sp => new PolicyDesk(sp.GetRequiredService<Phoenyra.Core.Storage.IStore>(), sp.GetRequiredService<PolicyReloader>(), sp.GetRequiredService<RiskEngine>(),
            sp.GetRequiredService<DeskKillSwitch>(), sp.GetRequiredService<IBus>(), sp.GetRequiredService<Phoenyra.Core.Audit.IAuditLog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TradingDesk(sp.GetRequiredService<Exchange>(), sp.GetRequiredService<RiskEngine>(), sp.GetRequiredService<Positions.Portfolio>(), sp.GetRequiredService<PriceHistory>(), sp.GetRequiredService<MarkHistory>(), sp.GetRequiredService<OrderHistoryStore>(), sp.GetRequiredService<DeskKillSwitch>(), sp.GetRequiredService<TimeProvider>()));

        services.AddSingleton<DeskKillSwitch>();
        services.AddSingleton<OrderHandlers>();
        services.AddSingleton<ICommandHandler<SubmitOrder, OrderResult>>(sp => sp.GetRequiredService<OrderHandlers>());
        services.AddSingleton<ICommandHandler<CancelOrder, OrderResult>>(sp => sp.GetRequiredService<OrderHandlers>());
        services.AddSingleton<IValidator<SubmitOrder>, SubmitOrderValidator>();
        services.AddSingleton<AccountQueryHandlers>();
        services.AddSingleton<ICommandHandler<GetMarketInfo, MarketInfo?>>(sp => sp.GetRequiredService<AccountQueryHandlers>());
        services.AddSingleton<ICommandHandler<GetAccountActivity, AccountActivity>>(sp => sp.GetRequiredService<AccountQueryHandlers>());
        services.AddSingleton<ICommandHandler<GetOpenOrders, IReadOnlyList<OrderView>>>(sp => sp.GetRequiredService<AccountQueryHandlers>());
        services.AddSingleton<IEventHandler<ReferencePriceUpdated>, ReferencePriceForwarder>();
        services.AddSingleton<IEventHandler<TradingGuardChanged>, GuardForwarder>();
        services.AddSingleton<IEventHandler<SocEnvelopeChanged>, EnvelopeForwarder>();
        services.AddSingleton<IEventHandler<AlertActionRequested>, AlertActions>();

        services.AddSingleton<PriceHistory>();
        services.AddSingleton<MarkHistory>();
        services.AddSingleton<IEventHandler<MarkUpdated>>(sp => sp.GetRequiredService<MarkHistory>());
        services.AddSingleton<DemoPriceSource>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoPriceSource>());
        services.AddSingleton<IEventHandler<ReferencePriceUpdated>>(sp => sp.GetRequiredService<DemoPriceSource>());
        services.AddValidatedSettings<CsvReplayOptions>(builder.Configuration, CsvReplayOptions.Section);
        services.AddHostedService<CsvReplaySource>();
        return builder;
    }

    /// <summary>REST: orders, trades, market data, positions, book depth, policy reload.</summary>
    public static WebApplication MapTradingEndpoints(this WebApplication app)
    {
        OrderEndpoints.Map(app);
        Api.OrderEntry.OrderEntryEndpoint.Map(app);
        MarketEndpoints.Map(app);
        return app;
    }
}
