using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>The shipped Prometheus configuration and alert rules load in the real promtool.</summary>
public sealed class DeployConfigTests
{
    private static string DeployFile(string name) => RepoPaths.File(Path.Combine("deploy", name));

    [Fact]
    public async Task AlertRules_PassPromtoolCheckRules()
    {
        var (exitCode, output) = await Promtool.Run($"check rules {DeployFile("alerts.yml")}");

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output);
    }

    [Fact]
    public async Task PrometheusConfig_PassesPromtoolCheckConfig()
    {
        var (exitCode, output) = await Promtool.Run($"check config --syntax-only {DeployFile("prometheus.yml")}");

        Assert.True(exitCode == 0, output);
    }
}
