using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Metrics;
using Phoenyra.Core;
using Phoenyra.Core.Settings;
using Phoenyra.Streams.Api;
using Phoenyra.Streams.Hub;
using Phoenyra.Streams.Signing;

namespace Phoenyra.Streams;

public static class StreamsModule
{
    /// <summary>Signed WebSocket streams of engine events, HMAC and ES256 signing keys, key discovery.</summary>
    public static TBuilder AddStreamsModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddValidatedSettings<StreamOptions>(builder.Configuration, StreamOptions.Section);
        // The seed's HMAC_SECRET: one more key, the signer unless CurrentKid names another.
        if (builder.Configuration["HMAC_SECRET"] is { Length: > 0 } secret)
            services.Configure<StreamOptions>(o =>
            {
                o.HmacKeys[StreamOptions.EnvironmentKid] = secret;
                o.CurrentKid ??= StreamOptions.EnvironmentKid;
            });
        // Seed 000's verifiers use phoenyra_demo_secret: in Development only (dotnet run), and only when no
        // secret is configured, the desk signs with it too, and says so at start. Never outside Development.
        else if (builder.Environment.IsDevelopment() && !builder.Configuration.GetSection($"{StreamOptions.Section}:HmacKeys").GetChildren().Any())
            services.Configure<StreamOptions>(o =>
            {
                o.HmacKeys[StreamOptions.EnvironmentKid] = StreamOptions.DemoSecret;
                o.CurrentKid ??= StreamOptions.EnvironmentKid;
            });
        services.AddMigration(EcSigningKey.Schema);
        services.AddSingleton<EcSigningKey>();
        services.AddSingleton<StreamSigner>();
        services.AddMetricSet<StreamMetrics>();
        services.AddSingleton<StreamHub>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamHub>());
        return builder;
    }

    /// <summary>WebSocket upgrades; before authentication, which reads <c>api_key</c> only on upgrade requests.</summary>
    public static WebApplication UseStreams(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        return app;
    }

    public static WebApplication MapStreamEndpoints(this WebApplication app)
    {
        StreamEndpoints.Map(app);
        return app;
    }
}
