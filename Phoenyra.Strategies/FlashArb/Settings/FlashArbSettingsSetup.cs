using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Phoenyra.Strategies.FlashArb.Settings;

/// <summary>
/// Builds <see cref="FlashArbSettings"/> at start-up: the variables from the configuration root,
/// then the secrets from the backend (a failed fetch becomes a settings error), then validation,
/// which stops the desk with exit code 2 and a line per problem.
/// </summary>
internal static class FlashArbSettingsSetup
{
    private static readonly TimeSpan BackendTimeout = TimeSpan.FromSeconds(10);

    public static void Add(IServiceCollection services)
    {
        services.AddOptions<FlashArbSettings>()
            .Configure<IConfiguration, TimeProvider>((settings, root, time) =>
            {
                settings.Load(root);
                Hydrate(settings, root, time);
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FlashArbSettings>, Validator>();
    }

    /// <summary>Fetches the secrets when a backend is configured and complete; validation reports an incomplete one.</summary>
    public static void Hydrate(FlashArbSettings settings, IConfiguration root, TimeProvider time, HttpMessageHandler? handler = null)
    {
        if (settings.SecretsBackend == SecretsBackend.None) return;
        using var http = handler is null ? new HttpClient { Timeout = BackendTimeout } : new HttpClient(handler, disposeHandler: false) { Timeout = BackendTimeout };
        try
        {
            ISecretsClient? client = settings.SecretsBackend switch
            {
                SecretsBackend.Vault when settings["VAULT_ADDR"] is { } address && settings["VAULT_TOKEN"] is { } token && settings["VAULT_SECRET_PATH"] is { } path
                    => new VaultSecretsClient(http, address, token, path),
                SecretsBackend.Aws when settings["AWS_SECRETS_REGION"] is not null && settings["AWS_SECRETS_ID"] is not null
                    => AwsSecretsClient.From(root, http, time),
                _ => null,
            };
            if (client is not null) settings.ApplySecrets(client.Fetch(CancellationToken.None).GetAwaiter().GetResult());
        }
        catch (SecretsException ex)
        {
            settings.SecretsFailed(ex.Message);
        }
    }

    private sealed class Validator : IValidateOptions<FlashArbSettings>
    {
        public ValidateOptionsResult Validate(string? name, FlashArbSettings options)
        {
            var errors = options.Validate().Select(e => e.ToString()).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
