using Phoenyra.Core.Contracts;
using Phoenyra.Core.Settings;

namespace Phoenyra.Ops.Alerts;

/// <summary>
/// Section <c>Phoenyra:Alerts</c>: what each alert, by its name, makes the desk do. The desk's own
/// map decides, never the alert's labels: whoever can reach Alertmanager can send any label, so a
/// label asking to halt the desk or flatten a strategy is recorded and ignored. Values: <c>reduce</c>
/// (reducing mode), <c>halt</c> (the desk kill switch), <c>flatten:STRATEGY</c> (that strategy only).
/// An alert the map does not name is recorded and does nothing.
/// </summary>
public sealed class AlertOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Alerts";

    public Dictionary<string, string> Actions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The action the map gives <paramref name="alertName"/>, with the strategy a flatten acts on; null when none.</summary>
    public (AlertAction Action, string? Strategy)? ActionFor(string alertName) =>
        Actions.TryGetValue(alertName, out var value) && Parse(value) is { } parsed ? parsed : null;

    private static (AlertAction, string?)? Parse(string value)
    {
        var parts = value.Trim().Split(':', 2, StringSplitOptions.TrimEntries);
        return parts[0].ToLowerInvariant() switch
        {
            "reduce" when parts.Length == 1 => (AlertAction.Reduce, null),
            "halt" when parts.Length == 1 => (AlertAction.Halt, null),
            "flatten" when parts.Length == 2 && parts[1].Length is > 0 and <= 64 => (AlertAction.Flatten, parts[1]),
            _ => null,
        };
    }

    public IEnumerable<SettingsError> Validate(string section)
    {
        foreach (var (name, value) in Actions)
            if (Parse(value ?? "") is null)
                yield return new SettingsError($"{section}:Actions:{name}", $"'{value}' is not an action; use reduce, halt or flatten:STRATEGY_ID");
    }
}
