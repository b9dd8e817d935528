using System.Net.Http.Json;
using System.Text.Json;

namespace Phoenyra.Web.Tests;

public sealed class ApiDocsTests(DeskFactory desk) : IClassFixture<DeskFactory>
{
    [Fact]
    public async Task OpenApiDocument_ListsTheTradingApi_AndTheKeyScheme()
    {
        var document = await desk.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/orders", "/api/orders/{id}", "/api/trades", "/api/market-data", "/api/positions", "/admin/policy/reload", "/health" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is missing from the OpenAPI document");
        Assert.Equal("X-API-Key", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
    }

    [Fact]
    public async Task DocsPage_LoadsTheBundledSwaggerUi()
    {
        var html = await desk.ClientWithKey(null).GetStringAsync("/docs");

        Assert.Contains("/lib/swagger-ui/swagger-ui-bundle.js", html);
        Assert.Contains("/js/docs.js", html); // no inline script: the content security policy allows none
        Assert.Contains("/openapi/v1.json", await desk.ClientWithKey(null).GetStringAsync("/js/docs.js"));
    }
}
