using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Messaging.Behaviors;

namespace Phoenyra.Core.Tests;

/// <summary>A service provider with the real bus and behaviours, plus whatever a test registers.</summary>
internal static class TestHost
{
    public static ServiceProvider Bus(Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddMetrics();
        services.AddSingleton<CoreMetrics>();
        services.AddSingleton<IBus, Bus>();
        services.AddSingleton<IPipelineBehavior, LoggingBehavior>();
        services.AddSingleton<IPipelineBehavior, MetricsBehavior>();
        services.AddSingleton<IPipelineBehavior, ValidationBehavior>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }
}

/// <summary>A folder under the test run's temp directory, deleted with the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "phoenyra-tests", Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
