using Phoenyra.Bess;
using Phoenyra.Core;
using Phoenyra.Ops;
using Phoenyra.Strategies;
using Phoenyra.Streams;
using Phoenyra.Trading;
using Phoenyra.Web;

if (CommandLine.IsCommand(args)) return await CommandLine.Run(args);

var builder = WebApplication.CreateBuilder(HostSetup.Options(args));
builder.AddCoreModule()
    .AddOpsModule()
    .AddTradingModule()
    .AddBessModule()
    .AddStreamsModule()
    .AddStrategiesModule()
    .AddDashboard()
    .AddApiDocs();

var app = builder.Build();
if (!HostSetup.SettingsAreValid(app)) return 2;
if (!HostSetup.AddressesAreFree(app)) return 3;
app.UseOpsFront();
app.UseSeedControlPaths();
app.UseStreams();
app.UseOps();
app.MapOpsEndpoints();
app.MapTradingEndpoints();
app.MapBessEndpoints();
app.MapStreamEndpoints();
app.MapStrategyEndpoints();
app.MapApiDocs();
app.MapDashboard();
return await HostSetup.Run(app);

/// <summary>Entry point type, public so host tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
