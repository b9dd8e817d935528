using Phoenyra.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Metrics;
using Phoenyra.Bess.Api;
using Phoenyra.Bess.AutoTrading;
using Phoenyra.Bess.Envelope;
using Phoenyra.Bess.Forecasting;
using Phoenyra.Bess.Guards;
using Phoenyra.Bess.Imbalance;
using Phoenyra.Bess.Optimisation;
using Phoenyra.Bess.Simulation;
using Phoenyra.Bess.Sites;
using Phoenyra.Bess.Telemetry;
using Phoenyra.Core;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Policy;
using Phoenyra.Core.Settings;

namespace Phoenyra.Bess;

public static class BessModule
{
    /// <summary>The BESS controller: telemetry intake and history, trading guards, the optimiser.</summary>
    public static TBuilder AddBessModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedSettings<BessOptions>(builder.Configuration, BessOptions.Section);
        services.AddMigration(TelemetryStore.Schema);
        services.AddMigration(PriceHistoryStore.Schema);
        services.AddSingleton<PriceHistoryStore>();
        services.AddSingleton<TelemetryStore>();
        services.AddSingleton(sp => new TelemetryIntake(sp.GetRequiredService<TelemetryStore>(), sp.GetRequiredService<IBus>(),
            sp.GetRequiredService<IOptions<BessOptions>>(), sp.GetRequiredService<BessMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddMetricSet<BessMetrics>();
        services.AddMetricSet<TelemetryGauges>();
        services.AddHostedService<HistoryRetention>();

        services.AddSingleton<BessGuardSection>();
        services.AddSingleton<IPolicySection>(sp => sp.GetRequiredService<BessGuardSection>());
        services.AddSingleton<IEventHandler<RiskPolicyChanged>>(sp => sp.GetRequiredService<BessGuardSection>());
        services.AddSingleton<GuardEvaluator>();
        services.AddSingleton<IEventHandler<TelemetryReceived>>(sp => sp.GetRequiredService<GuardEvaluator>());
        services.AddHostedService(sp => sp.GetRequiredService<GuardEvaluator>());

        services.AddValidatedSettings<SimulatorOptions>(builder.Configuration, SimulatorOptions.Section);
        services.AddSingleton<BatterySimulator>();
        services.AddSingleton<IEventHandler<TradeExecuted>>(sp => sp.GetRequiredService<BatterySimulator>());
        services.AddSingleton<IEventHandler<TelemetryReceived>>(sp => sp.GetRequiredService<BatterySimulator>());
        services.AddHostedService(sp => sp.GetRequiredService<BatterySimulator>());
        services.AddSingleton<PriceLibrary>();
        services.AddValidatedSettings<AutoTraderOptions>(builder.Configuration, AutoTraderOptions.Section);
        services.AddReservedAccounts(sp => [new(sp.GetRequiredService<IOptions<AutoTraderOptions>>().Value.Account, "the BESS auto-trader")]);
        services.AddSingleton<BatteryPlanner>();
        services.AddSingleton<IEventHandler<ReferencePriceUpdated>>(sp => sp.GetRequiredService<BatteryPlanner>());
        services.AddSingleton<IEventHandler<DayAheadCurvePublished>>(sp => sp.GetRequiredService<BatteryPlanner>());
        services.AddSingleton<ICommandHandler<GetBatteryPlan, BatteryPlan>>(sp => sp.GetRequiredService<BatteryPlanner>());
        services.AddHostedService(sp => sp.GetRequiredService<BatteryPlanner>());

        services.AddValidatedSettings<EnvelopeOptions>(builder.Configuration, EnvelopeOptions.Section);
        services.AddSingleton<EnvelopeTracker>();
        services.AddSingleton<IEventHandler<TelemetryReceived>>(sp => sp.GetRequiredService<EnvelopeTracker>());
        services.AddSingleton<IEventHandler<TradeExecuted>>(sp => sp.GetRequiredService<EnvelopeTracker>());
        services.AddHostedService(sp => sp.GetRequiredService<EnvelopeTracker>());
        services.AddMetricSet<EnvelopeGauges>();
        services.AddValidatedSettings<ImbalanceOptions>(builder.Configuration, ImbalanceOptions.Section);
        services.AddSingleton<ImbalanceTracker>();
        services.AddSingleton<IEventHandler<TelemetryReceived>>(sp => sp.GetRequiredService<ImbalanceTracker>());
        services.AddSingleton<IEventHandler<ReferencePriceUpdated>>(sp => sp.GetRequiredService<ImbalanceTracker>());
        services.AddHostedService(sp => sp.GetRequiredService<ImbalanceTracker>());
        services.AddMetricSet<ImbalanceGauges>();

        services.AddSingleton(sp => new BessDesk(sp.GetRequiredService<TelemetryIntake>(), sp.GetRequiredService<TelemetryStore>(),
            sp.GetRequiredService<GuardEvaluator>(), sp.GetRequiredService<BatterySimulator>(),
            sp.GetRequiredService<IOptions<BessOptions>>(), sp.GetRequiredService<BessGuardSection>(), sp.GetRequiredService<PriceLibrary>(),
            sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<EnvelopeTracker>(),
            sp.GetRequiredService<ImbalanceTracker>()));
        return builder;
    }

    /// <summary>REST: telemetry intake, status, history.</summary>
    public static WebApplication MapBessEndpoints(this WebApplication app)
    {
        BessEndpoints.Map(app);
        return app;
    }
}
