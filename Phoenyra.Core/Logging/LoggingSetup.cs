using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Phoenyra.Core.Logging;

internal static class LoggingSetup
{
    /// <summary>
    /// Serilog to the console and a daily rolling file under the data folder. Levels come from the
    /// standard <c>Logging:LogLevel</c> section (Serilog's provider bypasses Microsoft's filters,
    /// so the section is translated into Serilog overrides here).
    /// </summary>
    public static void AddSerilogLogging(IHostApplicationBuilder builder, string dataDir)
    {
        var levels = builder.Configuration.GetSection("Logging:LogLevel");
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(levels["Default"], LogEventLevel.Information))
            .Enrich.FromLogContext()
            .Enrich.With<OneLineValues>()
            .Enrich.With<RedactedQuerySecrets>()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(Path.Combine(dataDir, "logs", "phoenyra-.log"),
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 14,
                outputTemplate: "{Timestamp:O} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        foreach (var category in levels.GetChildren().Where(c => c.Key != "Default"))
            configuration.MinimumLevel.Override(category.Key, ToSerilog(category.Value, LogEventLevel.Information));
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
    }

    private static LogEventLevel ToSerilog(string? level, LogEventLevel fallback) =>
        Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed switch
        {
            LogLevel.Trace => LogEventLevel.Verbose,
            LogLevel.Debug => LogEventLevel.Debug,
            LogLevel.Information => LogEventLevel.Information,
            LogLevel.Warning => LogEventLevel.Warning,
            LogLevel.Error => LogEventLevel.Error,
            _ => LogEventLevel.Fatal,
        } : fallback;
}
