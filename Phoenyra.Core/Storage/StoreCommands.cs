using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Phoenyra.Core.Storage;

/// <summary>Small helpers every store uses on either provider.</summary>
public static class StoreCommands
{
    /// <summary>Adds a named parameter (<c>@name</c> in the SQL); null becomes SQL NULL.</summary>
    public static DbCommand Parameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>A command with this SQL (and the connection's transaction, if one is given).</summary>
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs a statement without parameters.</summary>
    public static int Execute(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.Command(sql, transaction);
        return command.ExecuteNonQuery();
    }

    /// <summary>A scalar as a long, whatever integer or numeric type the provider answers with (PostgreSQL's SUM is numeric).</summary>
    public static long ScalarLong(this DbCommand command) => Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The SQLSTATE the store raises for a write of a term that is over (a deposed cluster leader's).</summary>
    public const string FencedState = "PHFNC";

    /// <summary>True when the store refused a write because a newer leader term began (see the cluster's fencing).</summary>
    public static bool IsFenced(this DbException exception) => exception is PostgresException { SqlState: FencedState };

    /// <summary>True when a write broke a unique or primary-key constraint.</summary>
    public static bool IsUniqueViolation(this DbException exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == 19,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
