using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Phoenyra.Bess;
using Phoenyra.Core;
using Phoenyra.Ops;
using Phoenyra.Streams;
using Phoenyra.Strategies;
using Phoenyra.Tests.Shared;
using Phoenyra.Trading;

namespace Phoenyra.Architecture.Tests;

/// <summary>
/// Each module runs with Core alone: every service it registers resolves and its settings (and its
/// part of policy.yaml) validate without any other module. A hidden run-time dependency between
/// modules (one resolving another's service, one parsing another's policy section) fails here.
/// </summary>
public sealed class ModuleCompositionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "phoenyra-arch", Guid.NewGuid().ToString("N"));

    public ModuleCompositionTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string> Modules => new() { "trading", "bess", "ops", "streams", "strategies" };

    [Theory]
    [MemberData(nameof(Modules))]
    public void AModule_ResolvesEveryServiceItRegisters_WithCoreAlone(string module)
    {
        var (app, types) = Build(module);
        using var host = app;

        var failures = new List<string>();
        foreach (var type in types)
        {
            try { app.Services.GetServices(type).ToList(); }
            catch (Exception ex) { failures.Add($"{type}: {ex.GetBaseException().Message}"); }
        }
        try { app.Services.GetRequiredService<IStartupValidator>().Validate(); }
        catch (OptionsValidationException ex) { failures.Add(ex.Message); }

        Assert.Empty(failures);
    }

    [Fact]
    public void Trading_RefusesAPolicySectionThatNoRegisteredModuleOwns()
    {
        var (app, _) = Build("trading", policy: File.ReadAllText(RepoPaths.File("policy.yaml")));
        using var host = app;

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("bess_guards", error.Message);
    }

    private (WebApplication App, List<Type> OwnServiceTypes) Build(string module, string? policy = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = _folder });
        builder.Configuration.AddJsonFile(RepoPaths.File("appsettings.json"));
        var policyFile = Path.Combine(_folder, "policy.yaml");
        File.WriteAllText(policyFile, policy ?? TradingPartOfThePolicy());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Phoenyra:DataDir"] = Path.Combine(_folder, "data"),
            ["Phoenyra:Trading:PolicyFile"] = policyFile,
        });
        builder.AddCoreModule();
        _ = module switch
        {
            "trading" => builder.AddTradingModule(),
            "bess" => builder.AddBessModule(),
            "ops" => builder.AddOpsModule(),
            "strategies" => builder.AddStrategiesModule(),
            "streams" => builder.AddStreamsModule(),
            _ => throw new ArgumentException(module),
        };
        var types = builder.Services.Select(d => d.ServiceType)
            .Where(t => !t.IsGenericTypeDefinition && (IsOwn(t) || t == typeof(IHostedService)))
            .Distinct().ToList();
        return (builder.Build(), types);
    }

    /// <summary>Phoenyra's own types, or generic types with a Phoenyra argument (handlers, options validators).</summary>
    private static bool IsOwn(Type type) =>
        type.Assembly.GetName().Name!.StartsWith("Phoenyra.", StringComparison.Ordinal)
        || type.IsGenericType && type.GetGenericArguments().Any(IsOwn);

    /// <summary>The repository's policy without the sections other modules own.</summary>
    private static string TradingPartOfThePolicy()
    {
        var text = File.ReadAllText(RepoPaths.File("policy.yaml"));
        var cut = text.IndexOf("\nbess_guards:", StringComparison.Ordinal);
        return cut < 0 ? text : text[..cut];
    }
}
