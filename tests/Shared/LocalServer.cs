using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Phoenyra.Tests.Shared;

/// <summary>A real HTTP server on a free loopback port answering with <paramref name="handle"/>: Vault, AWS or a venue as the tests play them.</summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;
    public List<(string Method, string Path, IHeaderDictionary Headers, string Body)> Requests { get; } = [];

    public static async Task<LocalServer> Start(Func<HttpContext, string, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new LocalServer(app);
        app.Run(async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            lock (server.Requests) server.Requests.Add((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers, body));
            await handle(context, body);
        });
        await app.StartAsync();
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
