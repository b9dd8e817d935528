using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Core;

namespace Phoenyra.Ops.Tests;

/// <summary>Core and Ops on a private data folder (a real SQLite file), restartable on the same data.</summary>
internal sealed class OpsHost : IAsyncDisposable
{
    private IHost? _host;

    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "phoenyra-ops-tests", Guid.NewGuid().ToString("N"));
    public IServiceProvider Services => _host!.Services;
    public string DatabasePath => Path.Combine(DataDir, "phoenyra.db");

    public static async Task<OpsHost> Start()
    {
        var host = new OpsHost();
        await host.Restart();
        return host;
    }

    public async Task Restart()
    {
        if (_host is not null) await Stop();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = DataDir,
            ["Phoenyra:Auth:DemoKeys"] = "false",
        });
        builder.AddCoreModule().AddOpsModule();
        _host = builder.Build();
        await _host.StartAsync();
    }

    private async Task Stop()
    {
        await _host!.StopAsync();
        _host.Dispose();
        _host = null;
        SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await Stop();
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
