namespace Phoenyra.Core.Health;

/// <summary>A module's lines on <c>GET /health</c> (e.g. the strategies' <c>last_bar</c>); cheap, read on every probe.</summary>
public interface IHealthFacts
{
    IEnumerable<KeyValuePair<string, object?>> Facts();
}
