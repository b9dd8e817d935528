using Phoenyra.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Core;
using Phoenyra.Core.Http;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Health;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Settings;
using Phoenyra.Strategies.Api;
using Phoenyra.Strategies.FlashArb;
using Phoenyra.Strategies.FlashArb.Settings;
using Phoenyra.Strategies.FlashArb.Venues;
using Phoenyra.Strategies.HedgeGrid;
using Phoenyra.Strategies.Runtime;

namespace Phoenyra.Strategies;

public static class StrategiesModule
{
    /// <summary>The strategy runtime and its instances (HedgeGridV1), trading through the bus like any client.</summary>
    public static TBuilder AddStrategiesModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedSettings<StrategiesOptions>(builder.Configuration, StrategiesOptions.Section);
        services.AddReservedAccounts(sp => sp.GetRequiredService<IOptions<StrategiesOptions>>().Value.All.Select(i => new ReservedAccount(i.Id, $"strategy {i.Id}")));
        services.AddMigration(StrategyJournal.Schema);
        services.AddSingleton<StrategyJournal>();
        services.AddSingleton<StrategyRegistry>();
        services.AddMetricSet<StrategyMetrics>();
        services.AddMetricSet<HedgeGridGauges>();
        services.AddMetricSet<FlashArbMetrics>();
        services.AddSingleton<StrategyRouter>();
        services.AddSingleton<IEventHandler<MarkUpdated>>(sp => sp.GetRequiredService<StrategyRouter>());
        services.AddSingleton<IEventHandler<AlertActionRequested>, AlertFlatten>();
        services.AddSingleton<IEventHandler<TradeExecuted>>(sp => sp.GetRequiredService<StrategyRouter>());
        services.AddSingleton<IEventHandler<OrderUpdated>>(sp => sp.GetRequiredService<StrategyRouter>());
        services.AddSingleton<IEventHandler<TradingGuardChanged>>(sp => sp.GetRequiredService<StrategyRouter>());
        services.AddSingleton<StrategyFactory>();
        services.AddSingleton<LiveTickerFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveTickerFeed>());
        services.AddSingleton(sp => FlashArbReadiness.Feed(sp.GetRequiredService<IOptions<FlashArbSettings>>().Value, sp.GetRequiredService<LiveTickerFeed>()));
        services.AddHostedService<StrategyHost>();
        services.AddSingleton(sp => new StrategyDesk(sp.GetRequiredService<StrategyRegistry>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<IBus>(),
            sp.GetRequiredService<IOptions<StrategiesOptions>>().Value));
        services.AddSingleton(sp => new FlashArbDesk(sp.GetRequiredService<StrategyDesk>(), sp.GetRequiredService<IOptions<FlashArbSettings>>(),
            sp.GetRequiredService<IBus>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<LiveTickerFeed>()));
        services.AddSingleton<IHealthFacts, StrategyHealthFacts>();
        services.AddSingleton(sp => FlashArbReadiness.Venues(sp.GetRequiredService<FlashArbDesk>(), sp.GetRequiredService<IOptions<FlashArbSettings>>().Value));
        services.AddSingleton(sp => FlashArbReadiness.Chain(sp.GetRequiredService<IOptions<FlashArbSettings>>().Value, sp.GetRequiredService<FlashArbDesk>()));
        services.AddSingleton(sp => FlashArbReadiness.Secrets(sp.GetRequiredService<IOptions<FlashArbSettings>>().Value));
        FlashArbSettingsSetup.Add(services);
        ExtraListeners.Add(builder, $"{StrategiesOptions.Section}:OpsUrls");
        return builder;
    }

    /// <summary>
    /// Rewrites the seed's root control paths to the default hedge grid; it has to run before routing,
    /// so it is the first stage of the pipeline and starts routing itself.
    /// </summary>
    public static WebApplication UseSeedControlPaths(this WebApplication app)
    {
        SeedControlPaths.Use(app, app.Services.GetRequiredService<StrategyDesk>().DefaultGridId,
            app.Services.GetRequiredService<IOptions<StrategiesOptions>>().Value.OpsPorts);
        app.UseRouting();
        return app;
    }

    /// <summary>REST: <c>/api/strategies</c> and each instance's control paths.</summary>
    public static WebApplication MapStrategyEndpoints(this WebApplication app)
    {
        StrategyEndpoints.Map(app);
        BessAutoTrader.AutoTraderEndpoints.Map(app);
        FlashArb.Api.FlashArbEndpoints.Map(app);
        return app;
    }

    /// <summary><c>last_bar</c> on <c>/health</c>: Unix seconds of the newest bar any strategy processed, or null.</summary>
    private sealed class StrategyHealthFacts(StrategyDesk desk) : IHealthFacts
    {
        public IEnumerable<KeyValuePair<string, object?>> Facts()
        {
            yield return new("last_bar", StrategyEndpoints.Unix(desk.LastBar));
        }
    }
}
