using Microsoft.OpenApi.Models;

namespace Phoenyra.Web;

/// <summary>The OpenAPI document (<c>/openapi/v1.json</c>) and a browsable UI at <c>/docs</c>.</summary>
internal static class ApiDocs
{
    public static WebApplicationBuilder AddApiDocs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Phoenyra desk API",
                Version = "v1",
                Description = "Orders, trades, market data, positions and operations. Send an API key in the X-API-Key header.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-API-Key",
                Description = "viewer, trader, admin or device key",
            };
            document.SecurityRequirements.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = "ApiKey" } }] = [],
            });
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/docs", () => Results.Content(Page, "text/html; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <title>Phoenyra API</title>
          <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
          <link rel="stylesheet" href="/lib/swagger-ui/swagger-ui.css" />
          <style>body { margin: 0; } .topbar { display: none; }</style>
        </head>
        <body>
          <div id="swagger-ui"></div>
          <script src="/lib/swagger-ui/swagger-ui-bundle.js"></script>
          <script src="/js/docs.js"></script>
        </body>
        </html>
        """;
}
