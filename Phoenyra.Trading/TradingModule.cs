using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core.Settings;
using Phoenyra.Trading.Prices;

namespace Phoenyra.Trading;

public static class TradingModule
{
    /// <summary>Price sources and market data (the engine, risk and portfolio join here).</summary>
    public static TBuilder AddTradingModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddValidatedSettings<DemoPriceOptions>(builder.Configuration, DemoPriceOptions.Section);
        builder.Services.AddSingleton<PriceHistory>();
        builder.Services.AddSingleton<IPriceHistory>(sp => sp.GetRequiredService<PriceHistory>());
        builder.Services.AddHostedService<DemoPriceSource>();
        return builder;
    }
}
