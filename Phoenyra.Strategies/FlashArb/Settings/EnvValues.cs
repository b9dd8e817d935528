using System.Globalization;
using Microsoft.Extensions.Configuration;
using Phoenyra.Core.Settings;

namespace Phoenyra.Strategies.FlashArb.Settings;

/// <summary>
/// Reads the document's flat variables (<c>USE_ICE_LIVE</c>, <c>LOAN_LIMIT_GBP</c>, …) from the
/// configuration root (environment, <c>.env</c>, appsettings), collecting one error per bad value
/// named by its variable.
/// </summary>
internal sealed class EnvValues(IConfiguration root)
{
    private static readonly string[] Truthy = ["1", "true", "yes", "on"];
    private static readonly string[] Falsy = ["0", "false", "no", "off"];

    public List<SettingsError> Errors { get; } = [];

    public string? Text(string name) => root[name] is { } value && value.Trim().Length > 0 ? value.Trim() : null;

    /// <summary>1/0, true/false, yes/no, on/off in any case.</summary>
    public bool Flag(string name, bool fallback)
    {
        if (Text(name) is not { } text) return fallback;
        if (Truthy.Contains(text, StringComparer.OrdinalIgnoreCase)) return true;
        if (Falsy.Contains(text, StringComparer.OrdinalIgnoreCase)) return false;
        Errors.Add(new SettingsError(name, $"'{text}' is not a boolean", $"set {name} to 1/0, true/false, yes/no or on/off"));
        return fallback;
    }

    public decimal Number(string name, decimal fallback, decimal min, decimal max)
    {
        if (Text(name) is not { } text) return fallback;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Errors.Add(new SettingsError(name, $"'{text}' is not a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}", $"set {name} to a number in that range"));
        return fallback;
    }

    public TradingWindow Window(string name)
    {
        var text = Text(name);
        if (text is null) return TradingWindow.Default;
        if (TradingWindow.TryParse(text, out var window)) return window;
        Errors.Add(new SettingsError(name, $"'{text}' is not a UTC window", $"set {name} as HH:mm-HH:mm, e.g. 05:00-21:00 (an end before the start is overnight, 22:00-06:00)"));
        return TradingWindow.Default;
    }
}
