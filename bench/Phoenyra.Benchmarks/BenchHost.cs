using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Phoenyra.Bess;
using Phoenyra.Core;
using Phoenyra.Ops;
using Phoenyra.Trading;

namespace Phoenyra.Benchmarks;

/// <summary>The desk's modules without HTTP, on a private data folder, with the repository's policy.yaml.</summary>
internal static class BenchHost
{
    public static IHost Build(string dataDir, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var policy = Path.Combine(dataDir, "policy.yaml");
        if (!File.Exists(policy)) File.Copy(RepoFile("policy.yaml"), policy);
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Phoenyra:DataDir"] = dataDir,
            ["Phoenyra:Auth:DemoKeys"] = "false",
            ["Phoenyra:Trading:PolicyFile"] = policy,
            ["Phoenyra:Trading:DemoPrices:Enabled"] = "false",
            ["Phoenyra:Trading:MarketMaker:Enabled"] = "false",
            ["Phoenyra:Trading:Markets:0:Id"] = "DE-ID-15",
            ["Phoenyra:Trading:Markets:1:Id"] = "DE-ID-60",
            ["Phoenyra:Trading:Markets:1:ProductHours"] = "1",
            ["Phoenyra:Trading:Markets:2:Id"] = "DE-BASE-FUT",
            ["Phoenyra:Trading:Markets:2:ProductHours"] = "1",
            ["Phoenyra:Bess:Sites:0:Id"] = "site-1",
            ["Phoenyra:Bess:Simulator:Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) settings[key] = value;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Benchmark" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCoreModule().AddOpsModule().AddTradingModule().AddBessModule();
        return builder.Build();
    }

    public static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Phoenyra.sln"))) return Path.Combine(dir.FullName, relative);
        throw new InvalidOperationException("Run from inside the checkout: files are read from the repository root.");
    }
}
