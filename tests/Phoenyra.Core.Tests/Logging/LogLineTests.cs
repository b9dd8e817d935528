using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Logging;

namespace Phoenyra.Core.Tests.Logging;

public sealed class LogLineTests
{
    [Fact]
    public async Task AValueWithCrLf_IsWrittenEscaped_OnOneLine_SoItCannotForgeAnEntry()
    {
        using var folder = new TempFolder();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" });
        LoggingSetup.AddSerilogLogging(builder, folder.Path);
        using (var host = builder.Build())
        {
            var logger = host.Services.GetRequiredService<ILogger<LogLineTests>>();
            logger.LogWarning("Order refused for {Account}", "alice\r\n2026-11-30T00:00:00.0000000+00:00 [INF] Forged: admin granted\u0000");
        }
        await Task.Delay(100);

        var lines = File.ReadAllLines(Directory.GetFiles(Path.Combine(folder.Path, "logs")).Single());

        var line = Assert.Single(lines);
        Assert.Contains("alice\\r\\n2026-11-30T00:00:00.0000000+00:00 [INF] Forged: admin granted\\u0000", line);
    }
}
