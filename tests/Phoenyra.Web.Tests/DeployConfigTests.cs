using Phoenyra.Tests.Shared;

namespace Phoenyra.Web.Tests;

/// <summary>The shipped Prometheus configuration and alert rules load in the real promtool, and the rules' unit tests pass.</summary>
public sealed class DeployConfigTests
{
    private static string DeployFile(string name) => RepoPaths.File(Path.Combine("deploy", name));

    [Fact]
    public async Task AlertRules_PassPromtoolCheckRules()
    {
        var (exitCode, output) = await Promtool.Run($"check rules {DeployFile("prometheus/alerts.yml")}");

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS: 17 rules found", output);
    }

    [Fact]
    public async Task EveryAlert_FiresWhenItShould_AndStaysQuietWhenItShouldNot()
    {
        var (exitCode, output) = await Promtool.Run($"test rules {DeployFile("prometheus/alerts.test.yml")}");

        Assert.True(exitCode == 0, output);
        var rules = await File.ReadAllTextAsync(DeployFile("prometheus/alerts.yml"));
        var tests = await File.ReadAllTextAsync(DeployFile("prometheus/alerts.test.yml"));
        foreach (var alert in System.Text.RegularExpressions.Regex.Matches(rules, @"- alert: (\w+)").Select(m => m.Groups[1].Value))
            Assert.True(tests.Contains($"alertname: {alert}"), $"{alert} has no unit test in alerts.test.yml");
    }

    [Fact]
    public async Task PrometheusConfig_PassesPromtoolCheckConfig()
    {
        var (exitCode, output) = await Promtool.Run($"check config --syntax-only {DeployFile("prometheus/prometheus.yml")}");

        Assert.True(exitCode == 0, output);
    }
}
