namespace Phoenyra.Core.Health;

/// <summary>
/// One line of <c>GET /healthz</c>'s <c>checks</c>: a dependency a module relies on (a venue, a chain,
/// a secrets backend). Only an enabled check that fails makes the desk answer 503.
/// </summary>
public interface IReadinessCheck
{
    string Name { get; }

    /// <summary>False when the feature behind it is switched off: reported, never failing the desk.</summary>
    bool Enabled { get; }

    /// <summary>True when a check calls out (a venue, the chain): its answer is reused for a few seconds, so callers cannot make the desk probe on every request.</summary>
    bool Probes => false;

    Task<(bool Ok, string Detail)> Check(CancellationToken ct);
}
