using Microsoft.Extensions.Hosting;

namespace Phoenyra.Bess;

public static class BessModule
{
    /// <summary>The BESS controller: telemetry, guards, simulator, optimiser, auto-trader.</summary>
    public static TBuilder AddBessModule<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder => builder;
}
