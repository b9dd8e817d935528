using System.Reflection;

namespace Phoenyra.Architecture.Tests;

/// <summary>Core ← Trading, Bess, Ops, Streams, Strategies ← Web. Trading, Bess and Strategies meet only on the bus (DESIGN.md §1).</summary>
public sealed class ModuleReferenceTests
{
    private static readonly Assembly Core = typeof(Core.CoreModule).Assembly;
    private static readonly Assembly Trading = typeof(Trading.TradingModule).Assembly;
    private static readonly Assembly Bess = typeof(Bess.BessModule).Assembly;
    private static readonly Assembly Ops = typeof(Ops.OpsModule).Assembly;
    private static readonly Assembly Streams = typeof(Streams.StreamsModule).Assembly;
    private static readonly Assembly Strategies = typeof(Strategies.HedgeGrid.LadderBuilder).Assembly;
    private static readonly Assembly Web = typeof(Program).Assembly;

    private static HashSet<string> PhoenyraReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Phoenyra.", StringComparison.Ordinal)).ToHashSet();

    public static TheoryData<string> Modules => new() { "Phoenyra.Trading", "Phoenyra.Bess", "Phoenyra.Ops", "Phoenyra.Streams", "Phoenyra.Strategies" };

    private static Assembly Named(string name) => new[] { Trading, Bess, Ops, Streams, Strategies }.Single(a => a.GetName().Name == name);

    [Fact]
    public void Trading_DoesNotReferenceBess() => Assert.DoesNotContain("Phoenyra.Bess", PhoenyraReferences(Trading));

    [Fact]
    public void Bess_DoesNotReferenceTrading() => Assert.DoesNotContain("Phoenyra.Trading", PhoenyraReferences(Bess));

    [Fact]
    public void Strategies_TradeLikeAnyClient_WithoutReferencingTradingOrBess() =>
        Assert.Equal(["Phoenyra.Core"], PhoenyraReferences(Strategies).Order());

    [Theory]
    [MemberData(nameof(Modules))]
    public void AModule_ReferencesOnlyCore(string module)
    {
        var references = PhoenyraReferences(Named(module));

        Assert.DoesNotContain("Phoenyra.Web", references);
        Assert.Subset(new HashSet<string> { "Phoenyra.Core" }, references);
    }

    [Fact]
    public void Core_ReferencesNoModule() => Assert.Empty(PhoenyraReferences(Core));

    [Fact]
    public void Web_ComposesEveryModule() =>
        Assert.Superset(new HashSet<string> { "Phoenyra.Core", "Phoenyra.Trading", "Phoenyra.Bess", "Phoenyra.Ops", "Phoenyra.Streams" }, PhoenyraReferences(Web));

    [Theory]
    [MemberData(nameof(Modules))]
    public void Module_KeepsHandlersAndEnginesInternal(string module)
    {
        // The public surface is registration, settings, contracts and facades; nothing named like machinery.
        var leaked = Named(module).GetExportedTypes()
            .Where(t => t.Name.EndsWith("Handler", StringComparison.Ordinal) || t.Name.EndsWith("Engine", StringComparison.Ordinal) || t.Name.EndsWith("Store", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(leaked);
    }
}
