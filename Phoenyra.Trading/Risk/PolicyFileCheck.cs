using Microsoft.Extensions.Options;
using Phoenyra.Core.Policy;
using Phoenyra.Core.Settings;
using Phoenyra.Trading.Markets;

namespace Phoenyra.Trading.Risk;

/// <summary>
/// Start-up check of <c>policy.yaml</c> with every registered module section: an invalid file stops
/// the desk like any other bad setting (one line naming the YAML path and line), before anything trades.
/// </summary>
internal sealed class PolicyFileCheck(IEnumerable<IPolicySection> sections) : IValidateOptions<TradingOptions>
{
    public ValidateOptionsResult Validate(string? name, TradingOptions options)
    {
        var path = PolicyReloader.ResolvePath(options.PolicyFile);
        if (!File.Exists(path)) return ValidateOptionsResult.Skip; // reported by TradingOptions itself
        try
        {
            PolicyParser.Parse(File.ReadAllText(path), options.Markets.Select(m => m.Id).ToArray(), 0, sections.ToList());
            return ValidateOptionsResult.Success;
        }
        catch (PolicyParser.PolicyException ex)
        {
            return ValidateOptionsResult.Fail(new SettingsError($"{TradingOptions.Section}:PolicyFile", $"'{path}' is not a valid policy ({ex.Message})").ToString());
        }
    }
}
