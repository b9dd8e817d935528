using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Phoenyra.Core.Storage;

/// <summary>Applies one provider's migrations in (module, version) order, each in its own transaction; the same rules on both providers.</summary>
internal static class MigrationRunner
{
    public static IReadOnlyList<Migration> Ordered(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Module, StringComparer.Ordinal).ThenBy(m => m.Version).ToList();
        foreach (var module in ordered.GroupBy(m => m.Module))
        {
            var versions = module.Select(m => m.Version).ToList();
            if (versions.Distinct().Count() != versions.Count || versions.Min() != 1 || versions.Max() != versions.Count)
                throw new InvalidOperationException($"Migrations of module {module.Key} must be numbered 1..n without gaps or repeats; found {string.Join(", ", versions)}.");
        }
        return ordered;
    }

    /// <summary>
    /// Runs what <c>schema_migrations</c> does not list yet; returns how many ran. <paramref name="begin"/>
    /// opens each step's transaction (PostgreSQL takes a lock in it, so two desks starting together migrate one after the other).
    /// </summary>
    public static int Apply(DbConnection connection, IReadOnlyList<Migration> migrations, StoreProvider provider, string location,
        Func<DbConnection, DbTransaction> begin, TimeProvider time, ILogger logger)
    {
        RefuseNewer(Applied(connection, null), migrations, location);
        var count = 0;
        foreach (var migration in migrations)
        {
            using var transaction = begin(connection);
            // Read again in the step's transaction: another desk may have applied it meanwhile.
            if (Applied(connection, transaction).Contains((migration.Module, migration.Version))) continue;
            connection.Execute(migration.SqlFor(provider), transaction);
            using var record = connection.Command("INSERT INTO schema_migrations(module, version, name, applied_utc) VALUES (@m, @v, @n, @t)", transaction);
            record.Parameter("@m", migration.Module).Parameter("@v", (long)migration.Version).Parameter("@n", migration.Name)
                .Parameter("@t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            transaction.Commit();
            logger.LogInformation("Applied migration {Module} v{Version}: {Name}", migration.Module, migration.Version, migration.Name);
            count++;
        }
        return count;
    }

    private static HashSet<(string, long)> Applied(DbConnection connection, DbTransaction? transaction)
    {
        var applied = new HashSet<(string, long)>();
        using var query = connection.Command("SELECT module, version FROM schema_migrations", transaction);
        using var reader = query.ExecuteReader();
        while (reader.Read()) applied.Add((reader.GetString(0), reader.GetInt64(1)));
        return applied;
    }

    // Modules this process does not compose (the keys CLI runs Core and Ops only) are left as they are.
    private static void RefuseNewer(HashSet<(string, long)> applied, IReadOnlyList<Migration> migrations, string location)
    {
        foreach (var module in applied.GroupBy(a => a.Item1).Where(g => migrations.Any(m => m.Module == g.Key)))
        {
            var (version, known) = (module.Max(a => a.Item2), migrations.Where(m => m.Module == module.Key).Max(m => (long)m.Version));
            if (version > known)
                throw new InvalidOperationException(
                    $"The store {location} has {module.Key} schema version {version}, newer than this build knows ({known}). Run a newer Phoenyra or point the desk at another store.");
        }
    }
}
