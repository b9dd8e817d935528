using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

public sealed class AuthTests(DeskFactory desk) : IClassFixture<DeskFactory>
{
    [Fact]
    public async Task AdminEndpoint_WithoutKey_Is401ProblemDetailsNamingTheHeader()
    {
        var response = await desk.ClientWithKey(null).GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("X-API-Key", problem.GetProperty("detail").GetString());
        Assert.Contains("ApiKey", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AdminEndpoint_WithUnknownKey_Is401AndSaysTheKeyIsInvalid()
    {
        var response = await desk.ClientWithKey("not-a-real-key-000000").GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not valid", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(DeskFactory.ViewerKey, "viewer")]
    [InlineData(DeskFactory.TraderKey, "trader")]
    public async Task AdminEndpoint_WithLowerRole_Is403NamingTheRole(string key, string role)
    {
        var response = await desk.ClientWithKey(key).GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains($"role {role}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AdminEndpoint_WithAdminKey_Is200()
    {
        var response = await desk.ClientWithKey(DeskFactory.AdminKey).GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HeaderName_IsCaseInsensitive()
    {
        var client = desk.CreateClient();
        client.DefaultRequestHeaders.Add("x-api-key", DeskFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/keys")).StatusCode);
    }

    [Fact]
    public async Task QueryKey_IsIgnoredOutsideWebSocketHandshakes_SoKeysStayOutOfUrls()
    {
        var response = await desk.ClientWithKey(null).GetAsync($"/admin/audit?api_key={DeskFactory.AdminKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task BearerAuthorization_IsAcceptedForScrapers()
    {
        var client = desk.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", DeskFactory.ViewerKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/metrics")).StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/healthz")]
    [InlineData("/healthz/leader")] // a desk without a cluster always leads
    public async Task HealthEndpoints_AreOpen(string path)
    {
        var response = await desk.ClientWithKey(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_ReportsStatusAndUptime()
    {
        var health = await desk.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("uptime").GetDouble() >= 0);
    }

    [Fact]
    public async Task Metrics_WithoutKey_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await desk.ClientWithKey(null).GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task KeyList_NeverContainsSecretsOrDigests()
    {
        var body = await desk.ClientWithKey(DeskFactory.AdminKey).GetStringAsync("/admin/keys");

        Assert.Contains("test-viewer", body);
        Assert.DoesNotContain(DeskFactory.ViewerKey, body);
        Assert.DoesNotContain(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("viewer-key-0123456789abcdef"u8)), body);
    }

    [Theory]
    [InlineData("sim-mm", "the simulated market maker")]
    [InlineData("bess-autotrader", "the BESS auto-trader")]
    [InlineData("hedge-grid-1", "strategy hedge-grid-1")]
    [InlineData("alertmanager", "the desk's audit log")]
    public async Task AKeyMayNotTakeAnAccountTheDeskUsesItself(string id, string owner)
    {
        var response = await desk.ClientWithKey(DeskFactory.AdminKey).PostAsJsonAsync("/admin/keys", new { id, role = "trader" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"'{id}' is reserved for {owner}; choose another id", problem.GetProperty("errors").GetProperty("id")[0].GetString());
    }
}
