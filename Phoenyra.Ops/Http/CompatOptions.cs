using Phoenyra.Core.Http;
using Phoenyra.Core.Settings;

namespace Phoenyra.Ops.Http;

/// <summary>
/// Section <c>Phoenyra:Compat</c>: extra listeners on the original tools' ports (e.g.
/// <c>http://localhost:9000;http://localhost:8000</c>) that serve the same desk, seed paths included,
/// with the same keys and roles, for scripts whose URL cannot be edited.
/// </summary>
public sealed class CompatOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Compat";

    public string? Urls { get; set; }

    public IEnumerable<SettingsError> Validate(string section) => ExtraListeners.Check($"{section}:Urls", Urls);
}
