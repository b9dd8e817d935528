using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Audit;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Json;
using Phoenyra.Core.Logging;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Messaging.Behaviors;
using Phoenyra.Core.Metrics;
using Phoenyra.Core.Settings;
using Phoenyra.Core.Storage;

namespace Phoenyra.Core;

public static class CoreModule
{
    /// <summary>Settings, clock, logging, the bus with its behaviours, the store (SQLite or PostgreSQL) and the metrics exporter.</summary>
    public static TBuilder AddCoreModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedSettings<PhoenyraOptions>(builder.Configuration, PhoenyraOptions.Section);
        var dataDir = builder.Configuration.GetValue<string>($"{PhoenyraOptions.Section}:{nameof(PhoenyraOptions.DataDir)}") ?? "./data";
        LoggingSetup.AddSerilogLogging(builder, string.IsNullOrWhiteSpace(dataDir) ? "./data" : dataDir);

        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<IBus, Bus>();
        services.AddSingleton<Security.ReservedAccounts>();
        // Outermost first: logging sees everything, metrics time validation too.
        services.AddSingleton<IPipelineBehavior, LoggingBehavior>();
        services.AddSingleton<IPipelineBehavior, MetricsBehavior>();
        services.AddSingleton<IPipelineBehavior, ValidationBehavior>();

        services.AddStore(builder.Configuration);
        services.AddCluster(builder.Configuration);

        services.AddMigration(StoreAuditLog.Schema);
        services.AddSingleton<IAuditLog, StoreAuditLog>();

        services.AddMetrics();
        services.AddMetricSet<CoreMetrics>();
        services.AddMetricSet<ProcessMetrics>();
        services.AddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<IMeterFactory>(), sp.GetServices<IMetricSet>()));

        // One JSON convention for every module's REST answers: snake_case names and enum codes
        // (the same as Codes.Of), decimals without trailing zeros.
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            o.SerializerOptions.Converters.Add(new NormalizedDecimalConverter());
        });
        return builder;
    }

    /// <summary>The store on the configured provider (<see cref="StoreOptions"/>), migrated at start-up.</summary>
    private static void AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<StoreOptions>(configuration, StoreOptions.Section);
        services.PostConfigure<StoreOptions>(o =>
        {
            if (configuration[StoreOptions.EnvironmentVariable] is not { Length: > 0 } fromEnvironment) return;
            // PHOENYRA_STORE alone is enough to choose PostgreSQL; a connection string in the settings wins over it.
            if (configuration[$"{StoreOptions.Section}:{nameof(StoreOptions.Provider)}"] is null) o.Provider = "postgres";
            if (o.Kind == StoreProvider.Postgres && o.ConnectionString.Length == 0) o.ConnectionString = fromEnvironment;
        });
        services.AddSingleton<IStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            var (migrations, time) = (sp.GetServices<Migration>(), sp.GetRequiredService<TimeProvider>());
            return options.Kind == StoreProvider.Postgres
                ? new PostgresStore(options.ConnectionString, migrations, time, sp.GetRequiredService<ILogger<PostgresStore>>(), sp.GetRequiredService<IOptions<ClusterOptions>>().Value.Node)
                : new SqliteStore(Path.Combine(sp.GetRequiredService<IOptions<PhoenyraOptions>>().Value.DataDirFullPath, "phoenyra.db"),
                    migrations, time, sp.GetRequiredService<ILogger<SqliteStore>>());
        });
        services.AddHostedService<StoreInitializer>();
    }

    /// <summary>Leadership: a <see cref="LeaderLease"/> on the shared PostgreSQL store when <c>Phoenyra:Cluster:Enabled</c>, else a desk that always leads.</summary>
    private static void AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<ClusterOptions>(configuration, ClusterOptions.Section);
        services.AddOptions<ClusterOptions>().PostConfigure<IOptions<StoreOptions>>((cluster, store) => cluster.Store = store.Value.Kind);
        services.AddMetricSet<ClusterMetrics>();
        services.AddMigration(LeaderLease.Schema);
        services.AddMigration(LeaderLease.FenceSchema);
        if (configuration.GetValue<bool>($"{ClusterOptions.Section}:{nameof(ClusterOptions.Enabled)}"))
        {
            services.AddSingleton<LeaderLease>();
            services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeaderLease>());
            services.AddHostedService(sp => sp.GetRequiredService<LeaderLease>());
        }
        else services.AddSingleton<ILeadership>(sp => new SingleDesk(sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
    }

    /// <summary>Registers a schema step; the store applies it once at start-up.</summary>
    public static IServiceCollection AddMigration(this IServiceCollection services, Migration migration) =>
        services.AddSingleton(migration);
}
