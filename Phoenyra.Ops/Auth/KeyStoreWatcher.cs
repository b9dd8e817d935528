using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Phoenyra.Ops.Auth;

/// <summary>Re-reads the stored keys every few seconds: the store is the source of truth, whoever changed it.</summary>
internal sealed class KeyStoreWatcher(ApiKeyRegistry registry, IOptions<AuthOptions> options, TimeProvider time, ILogger<KeyStoreWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.KeyRefreshSeconds), time);
        try
        {
            try
            {
                await registry.AnnounceOrderCancels(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Could not read which revoked keys' orders to cancel; their resting orders stay until cancelled by hand");
            }
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var (added, revoked) = await registry.Refresh(stoppingToken);
                    if (added + revoked > 0)
                        logger.LogInformation("API keys changed in the store: {Added} added, {Revoked} revoked; now {Count} keys", added, revoked, registry.Count);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Could not re-read the API keys from the store; keeping the ones known");
                }
            }
        }
        catch (OperationCanceledException) { }
    }
}
