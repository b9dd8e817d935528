using Phoenyra.Bess.Cli;
using Phoenyra.Core;
using Phoenyra.Ops;
using Phoenyra.Ops.Cli;
using Phoenyra.Strategies;
using Phoenyra.Strategies.Cli;
using Phoenyra.Trading;
using Phoenyra.Bess;

namespace Phoenyra.Web;

/// <summary>Subcommands of the main binary, e.g. <c>Phoenyra.Web keys create --id ops --role admin</c>.</summary>
internal static class CommandLine
{
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "keys" or "optimise" or "optimize" or "backtest" or "help" or "--help";

    public static async Task<int> Run(string[] args)
    {
        if (args[0] is "help" or "--help")
        {
            Console.WriteLine("Phoenyra desk. Without arguments it serves the dashboard and API.\n\n" + KeysCommand.Usage + "\n" + OptimiseCommand.Usage + "\n" + BacktestCommand.Usage);
            return 0;
        }
        if (args[0] is "optimise" or "optimize") return OptimiseCommand.Run(args[1..], Console.Out, Console.Error);
        if (args[0] == "backtest")
        {
            var desk = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
            var grid = desk.GetSection("Phoenyra:Strategies:Instances").GetChildren().FirstOrDefault(s => (s["Kind"] ?? "hedge-grid") == "hedge-grid");
            return BacktestCommand.Run(args[1..], (IConfiguration?)grid ?? new ConfigurationBuilder().Build(), Console.Out, Console.Error, !Console.IsErrorRedirected);
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", .. args.Where(a => a.StartsWith("--Phoenyra", StringComparison.Ordinal))],
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Every module, so the keys command knows every account the desk reserves (nothing is started).
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddBessModule().AddStrategiesModule();
        using var host = builder.Build();
        return await KeysCommand.Run(host.Services, args[1..], Console.Out, Console.Error);
    }
}
