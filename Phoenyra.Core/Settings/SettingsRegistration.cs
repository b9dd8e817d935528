using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Phoenyra.Core.Settings;

public static class SettingsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from <paramref name="section"/> (appsettings + environment)
    /// and validates it when the host starts, so a bad value fails fast naming its key.
    /// </summary>
    public static IServiceCollection AddValidatedSettings<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class, IValidatedSettings
    {
        services.AddOptions<T>()
            .Bind(configuration.GetSection(section), o => o.ErrorOnUnknownConfiguration = false)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(section));
        return services;
    }

    private sealed class SettingsValidator<T>(string section) : IValidateOptions<T> where T : class, IValidatedSettings
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var errors = options.Validate(section).Select(e => e.ToString()).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
