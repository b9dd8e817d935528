using Microsoft.Extensions.Options;
using Phoenyra.Core.Security;
using Phoenyra.Core.Settings;

namespace Phoenyra.Ops.Auth;

/// <summary>A configured key may not take an account the desk uses itself (checked with the other settings at start).</summary>
internal sealed class ReservedKeyIdCheck(ReservedAccounts reserved) : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = options.Keys.Select((key, i) => reserved.Problem(key.Id) is { } problem ? new SettingsError($"{AuthOptions.Section}:Keys:{i}:Id", problem).ToString() : null)
            .OfType<string>().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
