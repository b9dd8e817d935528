using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phoenyra.Core.Settings;

namespace Phoenyra.Core.Tests.Settings;

public sealed class SettingsValidationTests
{
    private static OptionsValidationException Fail(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection()
            .AddValidatedSettings<PhoenyraOptions>(configuration, PhoenyraOptions.Section)
            .BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PhoenyraOptions>>().Value);
    }

    [Fact]
    public void EmptyDataDir_NamesTheKeyAndTheEnvironmentVariableToFixIt()
    {
        var error = Fail(new() { ["Phoenyra:DataDir"] = " " });

        var message = Assert.Single(error.Failures);
        Assert.StartsWith("Phoenyra:DataDir: is empty", message);
        Assert.Contains("Phoenyra__DataDir", message);
    }

    [Fact]
    public void DataDirBelowAFile_IsReportedAsNotWritable()
    {
        var file = Path.Combine(Path.GetTempPath(), $"phoenyra-not-a-dir-{Guid.NewGuid():N}");
        File.WriteAllText(file, "x");
        try
        {
            var message = Assert.Single(Fail(new() { ["Phoenyra:DataDir"] = Path.Combine(file, "data") }).Failures);
            Assert.Contains("is not a writable folder", message);
            Assert.StartsWith("Phoenyra:DataDir:", message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ValidDataDir_Passes()
    {
        using var folder = new TempFolder();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Phoenyra:DataDir"] = folder.Path }).Build();
        using var services = new ServiceCollection().AddValidatedSettings<PhoenyraOptions>(configuration, PhoenyraOptions.Section).BuildServiceProvider();

        Assert.Equal(folder.Path, services.GetRequiredService<IOptions<PhoenyraOptions>>().Value.DataDirFullPath);
    }

    [Fact]
    public void SettingsError_TranslatesNestedKeysToDoubleUnderscoreVariables()
    {
        var error = new SettingsError("Phoenyra:Auth:RateLimit:Burst", "is 0; it must be at least 1");

        Assert.Equal("Phoenyra__Auth__RateLimit__Burst", error.EnvironmentVariable);
        Assert.Equal("Phoenyra:Auth:RateLimit:Burst: is 0; it must be at least 1. Fix: set Phoenyra:Auth:RateLimit:Burst in appsettings.json or the environment variable Phoenyra__Auth__RateLimit__Burst.", error.ToString());
    }
}
