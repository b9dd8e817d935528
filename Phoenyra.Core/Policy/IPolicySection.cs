namespace Phoenyra.Core.Policy;

/// <summary>
/// A module's top-level section of <c>policy.yaml</c>. The trading module owns the file and its
/// reloads; it asks every registered section to parse the new text before applying it, so one
/// invalid section keeps the whole previous policy in force. The parsed values reach the modules
/// in <see cref="Contracts.RiskPolicyChanged.Sections"/>, so no module re-parses the file.
/// </summary>
public interface IPolicySection
{
    /// <summary>The top-level key, e.g. <c>bess_guards</c>.</summary>
    string Name { get; }

    /// <summary>Parses this section out of <paramref name="yaml"/> (the whole file); errors name their key.</summary>
    PolicySectionResult Parse(string yaml);
}

/// <summary>A section's parsed value (its defaults when the file has no such section) and its problems.</summary>
public sealed record PolicySectionResult(object Value, IReadOnlyList<string> Errors);
