using Microsoft.Extensions.Hosting;

namespace Phoenyra.Core.Storage;

/// <summary>Migrates the store before any later hosted service (modules register theirs after Core).</summary>
internal sealed class StoreInitializer(IStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Migrate();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
