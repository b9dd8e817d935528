namespace Phoenyra.Core.Policy;

/// <summary>
/// A module's section of <c>policy.yaml</c>. The trading module owns the file and its reloads; it
/// asks every section to check the new text before applying it, so one invalid section keeps the
/// whole previous policy in force. Applied policies reach the sections as <see cref="Contracts.RiskPolicyChanged"/>.
/// </summary>
public interface IPolicySection
{
    /// <summary>The top-level key, e.g. <c>bess_guards</c>.</summary>
    string Name { get; }

    /// <summary>Problems with this section in <paramref name="yaml"/> (the whole file), each naming its key; empty when valid.</summary>
    IEnumerable<string> Validate(string yaml);
}

/// <summary>Top-level keys of <c>policy.yaml</c> owned by modules other than trading.</summary>
public static class PolicySections
{
    public const string BessGuards = "bess_guards";
}
