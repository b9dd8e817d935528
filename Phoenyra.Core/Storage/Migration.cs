namespace Phoenyra.Core.Storage;

/// <summary>
/// One schema step of one module. Versions count up from 1 per module; a step runs once, in its
/// own transaction, and is recorded in <c>schema_migrations</c>.
/// </summary>
public sealed record Migration(string Module, int Version, string Name, string Sql);
