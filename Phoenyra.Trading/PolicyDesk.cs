using Phoenyra.Core.Audit;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Messaging;
using Phoenyra.Core.Storage;
using Phoenyra.Trading.Risk;

namespace Phoenyra.Trading;

/// <summary>One applied version of policy.yaml, as stored.</summary>
public sealed record PolicyVersion(int Version, string Hash, DateTimeOffset LoadedUtc, string Actor);

/// <summary>
/// What the operator console does with the risk policy and the trading state: the versions in the
/// store and their text, a reload (the errors when it is refused), and the desk's trading state
/// switched by an admin (active lifts the halt and every operator or alert restriction).
/// </summary>
public sealed class PolicyDesk
{
    /// <summary>The guard an operator's "reducing" switch publishes.</summary>
    public const string OperatorSource = "operator";

    private readonly IStore _store;
    private readonly PolicyReloader _reloader;
    private readonly RiskEngine _risk;
    private readonly DeskKillSwitch _kill;
    private readonly IBus _bus;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    internal PolicyDesk(IStore store, PolicyReloader reloader, RiskEngine risk, DeskKillSwitch kill, IBus bus, IAuditLog audit, TimeProvider time)
    {
        (_store, _reloader, _risk, _kill, _bus, _audit, _time) = (store, reloader, risk, kill, bus, audit, time);
    }

    public int Version => _risk.Policy.Version;

    public string Hash => _risk.Policy.Hash;

    public string Path => _reloader.PolicyPath;

    public TradingState TradingState => _risk.TradingState;

    /// <summary>The guards that restrict trading now (source, effect, reason).</summary>
    public IReadOnlyList<TradingGuardChanged> Restrictions => _risk.ActiveGuards;

    public IReadOnlyList<PolicyVersion> Versions(int limit = 50)
    {
        using var connection = _store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, hash, loaded_utc, actor FROM policy_versions ORDER BY version DESC LIMIT @limit";
        command.Parameter("@limit", limit);
        var versions = new List<PolicyVersion>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            versions.Add(new PolicyVersion(reader.GetInt32(0), reader.GetString(1),
                DateTimeOffset.Parse(reader.GetString(2), System.Globalization.CultureInfo.InvariantCulture), reader.GetString(3)));
        return versions;
    }

    public string? Text(int version)
    {
        using var connection = _store.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT yaml FROM policy_versions WHERE version = @v";
        command.Parameter("@v", version);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Re-reads policy.yaml; when it is invalid the error says where, and the policy in force stays.</summary>
    public Task<PolicyReloadResult> Reload(string actor) => _reloader.Reload(actor);

    /// <summary>Switches the desk: halted (the kill switch), reducing (an operator guard), or active (lifts both, and alerts' restrictions).</summary>
    public async Task SetTradingState(TradingState state, string actor, string reason)
    {
        switch (state)
        {
            case TradingState.Halted:
                await _kill.Halt(actor, reason);
                break;
            case TradingState.Reducing:
                await _bus.Publish(new TradingGuardChanged(OperatorSource, "reducing", true, null, 1.0, $"set by {actor}: {reason}", _time.GetUtcNow(), TradingState.Reducing));
                await _audit.Record(actor, "desk.reducing", null, new { reason }, "ok");
                break;
            default:
                await _bus.Publish(new TradingGuardChanged(OperatorSource, "reducing", false, null, 1.0, $"lifted by {actor}: {reason}", _time.GetUtcNow()));
                await _kill.Resume(actor, reason);
                break;
        }
    }
}
