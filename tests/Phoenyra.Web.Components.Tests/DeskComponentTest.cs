using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Phoenyra.Bess;
using Phoenyra.Core;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Ops;
using Phoenyra.Tests.Shared;
using Phoenyra.Trading;
using Phoenyra.Web.Components.Shared;
using Radzen;
using Radzen.Blazor;

namespace Phoenyra.Web.Components.Tests;

/// <summary>
/// Base of component tests: a real desk (Core, Ops, Trading and BESS modules on a private SQLite
/// file, no demo prices, no simulator) whose facades and bus the rendered components use, so a
/// component sees exactly what it would in the dashboard. JS calls are answered loosely: charts
/// are the browser suite's business.
/// </summary>
public abstract class DeskComponentTest : BunitContext, IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "phoenyra-component-tests", Guid.NewGuid().ToString("N"));
    private IHost? _desk;

    protected IBus Bus => _desk!.Services.GetRequiredService<IBus>();

    protected IServiceProvider DeskServices => _desk!.Services;

    /// <summary>The desk's policy.yaml: the repository's, changed as a test needs.</summary>
    protected virtual string Policy(string repositoryPolicy) => repositoryPolicy;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        var policyFile = Path.Combine(_dataDir, "policy.yaml");
        await File.WriteAllTextAsync(policyFile, Policy(await File.ReadAllTextAsync(RepoPaths.File("policy.yaml"))));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ContentRootPath = RepoPaths.Root });
        builder.Configuration.AddJsonFile(RepoPaths.File("appsettings.json"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = _dataDir,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = policyFile,
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Bess:Simulator:Enabled"] = "false",
        });
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddBessModule();
        _desk = builder.Build();
        await _desk.StartAsync();

        JSInterop.Mode = JSRuntimeMode.Loose;
        // Radzen's gauges measure themselves through JS, which a loose JS runtime answers with nothing.
        ComponentFactories.AddStub<RadzenArcGauge>();
        Services.AddRadzenComponents();
        Services.AddMetrics();
        Services.AddSingleton<DashboardMetrics>();
        Services.AddSingleton<LiveFeeds>();
        Services.AddSingleton(Bus);
        Services.AddSingleton(_desk.Services.GetRequiredService<TradingDesk>());
        Services.AddSingleton(_desk.Services.GetRequiredService<BessDesk>());
        Services.AddSingleton(_desk.Services.GetRequiredService<IValidator<SubmitOrder>>());
        Services.AddSingleton(_desk.Services.GetRequiredService<TimeProvider>());
        Services.AddSingleton(_desk.Services.GetRequiredService<Phoenyra.Core.Cluster.ILeadership>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_desk is not null)
        {
            await _desk.StopAsync();
            _desk.Dispose();
        }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}
