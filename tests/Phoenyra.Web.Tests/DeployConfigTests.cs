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
        Assert.Contains("SUCCESS: 19 rules found", output);
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

/// <summary>
/// What operators with Docker (compose, Dockerfile) or without (systemd) get. No Docker engine runs
/// here: the files are parsed and every file they mount or build from must exist; the compose
/// variants of the Prometheus and Alertmanager configs must be the shipped ones with service names.
/// </summary>
public sealed class DeployPackagingTests
{
    private static string Deploy(string name) => RepoPaths.File(Path.Combine("deploy", name));

    [Fact]
    public void TheComposeFile_Parses_AndEverythingItMountsOrBuildsFromExists()
    {
        var compose = (Dictionary<object, object>)new YamlDotNet.Serialization.Deserializer().Deserialize<object>(File.ReadAllText(Deploy("compose.yaml")))!;
        var services = (Dictionary<object, object>)compose["services"];

        Assert.Equal(["alertmanager", "desk", "desk-b", "grafana", "haproxy", "postgres", "prometheus"], services.Keys.Select(k => (string)k).Order());
        var build = (Dictionary<object, object>)((Dictionary<object, object>)services["desk"])["build"];
        Assert.Equal(build, ((Dictionary<object, object>)services["desk-b"])["build"]);
        Assert.True(File.Exists(Path.Combine(Deploy((string)build["context"]), (string)build["dockerfile"])), "the desk's Dockerfile is missing");
        var mounts = services.Values.Cast<Dictionary<object, object>>().Where(s => s.ContainsKey("volumes"))
            .SelectMany(s => ((List<object>)s["volumes"]).Cast<string>()).Where(v => v.StartsWith("./", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(mounts);
        foreach (var source in mounts.Select(m => m.Split(':')[0]).Where(s => !s.StartsWith("./secrets/", StringComparison.Ordinal)))
            Assert.True(File.Exists(Deploy(source)) || Directory.Exists(Deploy(source)), $"compose mounts {source}, which does not exist");
        Assert.Contains("./grafana/dashboards:/var/lib/grafana/dashboards/phoenyra:ro", mounts);
        Assert.Contains("/var/lib/grafana/dashboards/phoenyra", File.ReadAllText(Deploy("grafana/provisioning/dashboards/phoenyra.yml")));
    }

    [Fact]
    public void TheComposeFile_PublishesEveryPortOnLoopbackOnly_GrafanaHasNoDefaultPassword_AndAlertmanagerAsksForBasicAuth()
    {
        var compose = (Dictionary<object, object>)new YamlDotNet.Serialization.Deserializer().Deserialize<object>(File.ReadAllText(Deploy("compose.yaml")))!;
        var services = ((Dictionary<object, object>)compose["services"]).ToDictionary(kv => (string)kv.Key, kv => (Dictionary<object, object>)kv.Value);

        foreach (var (name, service) in services)
            foreach (var port in ((List<object>)service["ports"]).Cast<string>())
                Assert.True(port.StartsWith("${PHOENYRA_BIND:-127.0.0.1}:", StringComparison.Ordinal), $"{name} publishes {port} beyond loopback");
        var grafana = (Dictionary<object, object>)services["grafana"]["environment"];
        Assert.StartsWith("${GRAFANA_ADMIN_PASSWORD:?", (string)grafana["GF_SECURITY_ADMIN_PASSWORD"]);
        Assert.Contains("--web.config.file=/etc/alertmanager/web.yml", ((List<object>)services["alertmanager"]["command"]).Cast<string>());
        Assert.Contains("./secrets/alertmanager-web.yml:/etc/alertmanager/web.yml:ro", ((List<object>)services["alertmanager"]["volumes"]).Cast<string>());
        Assert.Contains("--role alertmanager", File.ReadAllText(Deploy("compose.yaml")));
        Assert.DoesNotContain("--role admin", File.ReadAllText(Deploy("compose.yaml")));
    }

    [Theory]
    [InlineData("prometheus/prometheus.yml", "prometheus/prometheus.compose.yml", "\"localhost:5080\"", "\"desk:5080\", \"desk-b:5080\"", "\"localhost:9093\"", "\"alertmanager:9093\"")]
    [InlineData("alertmanager/alertmanager.yml", "alertmanager/alertmanager.compose.yml", "http://localhost:5080/admin/alerts", "http://haproxy:5080/admin/alerts", "", "")]
    public void TheComposeVariants_AreTheShippedConfigs_WithServiceNames(string shipped, string variant, string from1, string to1, string from2, string to2)
    {
        var expected = File.ReadAllText(Deploy(shipped)).Replace(from1, to1);
        if (from2.Length > 0) expected = expected.Replace(from2, to2);
        var actual = string.Join('\n', File.ReadAllLines(Deploy(variant)).SkipWhile(l => l.StartsWith("# Generated", StringComparison.Ordinal) || l.StartsWith("# For deploy/compose.yaml", StringComparison.Ordinal)));

        Assert.Equal(expected.TrimEnd(), actual.TrimEnd());
    }

    [Fact]
    public void EveryGrafanaDashboard_HasAUniqueUid_KnownPanelTypes_AndTheProvisionedDatasource()
    {
        var datasource = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Deploy("grafana/provisioning/datasources/prometheus.yml")), @"uid: (\S+)").Groups[1].Value;
        var uids = new List<string>();
        string[] names = ["bess", "strategies", "system", "trading"];
        Assert.Equal(names, Directory.GetFiles(Deploy("grafana/dashboards"), "*.json").Select(Path.GetFileNameWithoutExtension).Order());
        foreach (var file in Directory.GetFiles(Deploy("grafana/dashboards"), "*.json"))
        {
            var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement;
            uids.Add(dashboard.GetProperty("uid").GetString()!);
            Assert.False(string.IsNullOrEmpty(dashboard.GetProperty("title").GetString()));
            foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
            {
                Assert.Contains(panel.GetProperty("type").GetString(), new[] { "timeseries", "gauge", "stat" });
                Assert.Equal(datasource, panel.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                    Assert.Equal(datasource, target.GetProperty("datasource").GetProperty("uid").GetString());
            }
        }
        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.Equal("phoenyra-prometheus", datasource);
    }

    [Fact]
    public void TheSystemdUnit_RunsThePublishedDesk_AsItsOwnUser()
    {
        var unit = File.ReadAllText(Deploy("systemd/phoenyra.service"));

        foreach (var line in new[] { "ExecStart=/opt/phoenyra/Phoenyra.Web", "User=phoenyra", "Environment=Phoenyra__DataDir=/srv/phoenyra/data", "[Install]", "Restart=always", "RestartPreventExitStatus=2" })
            Assert.Contains(line, unit);
    }
}
