using Phoenyra.Bess;
using Phoenyra.Core;
using Phoenyra.Ops;
using Phoenyra.Trading;
using Phoenyra.Web;

if (CommandLine.IsCommand(args)) return await CommandLine.Run(args);

var builder = WebApplication.CreateBuilder(HostSetup.Options(args));
builder.AddCoreModule()
    .AddOpsModule()
    .AddTradingModule()
    .AddBessModule()
    .AddDashboard();

var app = builder.Build();
app.UseOps();
app.MapOpsEndpoints();
app.MapDashboard();
return await HostSetup.Run(app);

/// <summary>Entry point type, public so host tests can use <c>WebApplicationFactory&lt;Program&gt;</c>.</summary>
public partial class Program;
