using Microsoft.Extensions.Options;

namespace Phoenyra.Web.Tests;

public sealed class StartupTests
{
    [Fact]
    public void InvalidConfiguration_StopsStartup_NamingEachBadKeyAndItsFix()
    {
        using var desk = DeskFactory.With(new Dictionary<string, string?>
        {
            ["Phoenyra:Auth:RateLimit:PermitsPerSecond"] = "0",
            ["Phoenyra:Auth:Keys:1:Role"] = "emperor",
        });

        var error = Assert.Throws<OptionsValidationException>(() => desk.CreateClient());

        var described = HostSetup.Describe(error);
        Assert.Contains("Phoenyra:Auth:RateLimit:PermitsPerSecond: is 0", described);
        Assert.Contains("Phoenyra__Auth__RateLimit__PermitsPerSecond", described);
        Assert.Contains("Phoenyra:Auth:Keys:1:Role: 'emperor' is not a role", described);
    }

    [Fact]
    public async Task Healthz_IsReady_OnceTheStoreIsMigrated()
    {
        using var desk = new DeskFactory();
        var response = await desk.ClientWithKey(null).GetStringAsync("/healthz");

        Assert.Contains("\"status\":\"ready\"", response);
        Assert.True(File.Exists(Path.Combine(desk.DataDir, "phoenyra.db")));
    }
}
