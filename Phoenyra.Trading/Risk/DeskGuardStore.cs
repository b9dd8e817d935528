using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Phoenyra.Core.Cluster;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;

namespace Phoenyra.Trading.Risk;

/// <summary>
/// Stopped stays stopped: the desk-wide restrictions an operator or an alert imposed (the desk kill
/// switch, operator reducing, alert reducing) are written to the store as they change and put back
/// at start, before the markets open, so a restart never resumes what someone stopped. Only an
/// admin's resume lifts them. Guards from telemetry are not kept: the next reading decides those.
/// </summary>
internal sealed class DeskGuardStore(IStore store, IBus bus, DeskKillSwitch kill, ILeadership leadership, ILogger<DeskGuardStore> logger) : IEventHandler<TradingGuardChanged>, IHostedService
{
    private const string Table = """
        CREATE TABLE desk_guards (
            source TEXT NOT NULL,
            name TEXT NOT NULL,
            reason TEXT NOT NULL,
            state INTEGER NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (source, name)
        );
        """;

    public static readonly Migration Schema = new("trading", 7, "desk-wide guards kept across restarts", Sqlite: Table, Postgres: Table);

    private static readonly HashSet<string> Kept = [DeskHaltGuard.Source, PolicyDesk.OperatorSource, AlertActionRequested.Actor];

    public ValueTask Handle(TradingGuardChanged change, CancellationToken cancellationToken)
    {
        if (change.Markets is not null || !Kept.Contains(change.Source)) return ValueTask.CompletedTask;
        TermFence.Write(store, leadership, (connection, transaction) =>
        {
            using var command = connection.Command(change.Active
                ? """
                    INSERT INTO desk_guards (source, name, reason, state, since) VALUES (@source, @name, @reason, @state, @since)
                    ON CONFLICT (source, name) DO UPDATE SET reason = excluded.reason, state = excluded.state, since = excluded.since
                    """
                : "DELETE FROM desk_guards WHERE source = @source AND name = @name", transaction);
            command.Parameter("@source", change.Source);
            command.Parameter("@name", change.Name);
            command.Parameter("@reason", change.Reason);
            command.Parameter("@state", (int)(change.State ?? TradingState.Active));
            command.Parameter("@since", change.Time.ToString("O"));
            command.ExecuteNonQuery();
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Runs before the exchange opens (registered ahead of it): the markets open already restricted. On a cluster's
    /// standby it runs when the desk is elected, so what the last leader stopped stays stopped on the new one.
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken) => leadership.OnElected(Restore);

    private async Task Restore(CancellationToken cancellationToken)
    {
        var kept = new List<TradingGuardChanged>();
        using (var connection = store.Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT source, name, reason, state, since FROM desk_guards ORDER BY since";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                kept.Add(new TradingGuardChanged(reader.GetString(0), reader.GetString(1), true, null, 1.0, reader.GetString(2),
                    DateTimeOffset.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture), (TradingState)reader.GetInt32(3)));
        }
        foreach (var guard in kept)
        {
            if (DeskHaltGuard.Is(guard)) kill.Restore(guard);
            await bus.Publish(guard, cancellationToken);
            logger.LogCritical("Restored from before the restart: {Source}/{Name} ({Effect}) since {Since:u}: {Reason}; an admin resumes the desk", guard.Source, guard.Name, guard.Effect, guard.Time, guard.Reason);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
