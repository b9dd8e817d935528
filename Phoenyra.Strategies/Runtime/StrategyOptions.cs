using Phoenyra.Core.Http;
using Phoenyra.Core.Settings;
using Phoenyra.Strategies.HedgeGrid;

namespace Phoenyra.Strategies.Runtime;

/// <summary>
/// Section <c>Phoenyra:Strategies</c>: the strategy instances this process runs (several may), and
/// which hedge grid the seed's root control paths (<c>/status</c>, <c>/flatten</c>, …) address.
/// </summary>
public sealed class StrategiesOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Strategies";

    public List<StrategyOptions> Instances { get; set; } = [];

    /// <summary>
    /// The battery auto-trader's instance (kind <c>bess-autotrader</c>), run beside <see cref="Instances"/>;
    /// it trades the BESS planner's plan under its own kill switch. The shipped appsettings.json names
    /// it <c>bess-autotrader</c>; an empty <c>Id</c> (the default here, for hosts without a battery) runs none.
    /// </summary>
    public StrategyOptions BessAutoTrader { get; set; } = new()
    {
        Id = "", Kind = StrategyKinds.BessAutoTrader, Market = "DE-ID-15", BarSeconds = 10, KillSwitch = new() { MaxMarginRatio = 0 },
    };

    /// <summary>Every instance this process runs: <see cref="Instances"/> and the auto-trader's.</summary>
    public IReadOnlyList<StrategyOptions> All => BessAutoTrader.Id.Length > 0 ? [.. Instances, BessAutoTrader] : Instances;

    /// <summary>The instance behind the root paths; the first hedge grid when empty.</summary>
    public string? DefaultHedgeGrid { get; set; }

    /// <summary>
    /// Optional second listener (e.g. <c>http://localhost:8080</c>, several separated by ';') that serves only the seed's
    /// control paths and <c>/health</c>, <c>/metrics</c>, so its scripts work with their default URL.
    /// </summary>
    public string? OpsUrls { get; set; }

    /// <summary>The ports of <see cref="OpsUrls"/> (validated: each URL names its port).</summary>
    public IReadOnlyList<int> OpsPorts => ExtraListeners.Ports(OpsUrls);

    public IEnumerable<SettingsError> Validate(string section)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Instances.Count; i++)
        {
            var prefix = $"{section}:Instances:{i}";
            if (!ids.Add(Instances[i].Id)) yield return new SettingsError($"{prefix}:Id", $"'{Instances[i].Id}' is used twice; give each instance its own id");
            if (Instances[i].Kind == StrategyKinds.BessAutoTrader)
                yield return new SettingsError($"{prefix}:Kind", $"the auto-trader is configured in {section}:BessAutoTrader, not among the instances");
            foreach (var error in Instances[i].Validate(prefix)) yield return error;
        }
        if (BessAutoTrader.Id.Length > 0)
        {
            if (!ids.Add(BessAutoTrader.Id)) yield return new SettingsError($"{section}:BessAutoTrader:Id", $"'{BessAutoTrader.Id}' is an instance's id too; give the auto-trader its own");
            if (BessAutoTrader.Kind != StrategyKinds.BessAutoTrader) yield return new SettingsError($"{section}:BessAutoTrader:Kind", $"must be {StrategyKinds.BessAutoTrader}");
            foreach (var error in BessAutoTrader.Validate($"{section}:BessAutoTrader")) yield return error;
        }
        foreach (var error in ExtraListeners.Check($"{section}:OpsUrls", OpsUrls)) yield return error;
        if (DefaultHedgeGrid is { Length: > 0 } id && !Instances.Any(s => s.Id == id && s.Kind == StrategyKinds.HedgeGrid))
            yield return new SettingsError($"{section}:DefaultHedgeGrid", $"'{id}' is not a configured hedge-grid instance");
    }

    public StrategyOptions? DefaultGrid =>
        Instances.FirstOrDefault(s => s.Id == DefaultHedgeGrid) ?? Instances.FirstOrDefault(s => s.Kind == StrategyKinds.HedgeGrid);
}

public static class StrategyKinds
{
    public const string HedgeGrid = "hedge-grid";
    public const string FlashArb = "flash-arb";

    /// <summary>The battery's plan traded by the desk (its planner is the BESS module's).</summary>
    public const string BessAutoTrader = "bess-autotrader";
}

/// <summary>One instance: id (also its account on the desk), kind, market, mode, bar length, its parameters and kill switch.</summary>
public sealed class StrategyOptions
{
    public string Id { get; set; } = "";
    public string Kind { get; set; } = StrategyKinds.HedgeGrid;
    public string Market { get; set; } = "";

    /// <summary>A flash-arb instance's futures leg (its <see cref="Market"/> is the power leg).</summary>
    public string? FuturesMarket { get; set; }

    /// <summary><c>paper</c> (the desk's simulated market) or <c>live</c>; shown on every status.</summary>
    public string Mode { get; set; } = "paper";

    /// <summary>Seconds per bar: the strategy sees the market at most this often.</summary>
    public double BarSeconds { get; set; } = 1;

    public GridParameters HedgeGrid { get; set; } = new();

    public KillSwitchOptions KillSwitch { get; set; } = new();

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(Id, "^[a-z0-9][a-z0-9-]{0,31}$"))
            yield return new SettingsError($"{prefix}:Id", $"'{Id}' must be 1-32 lower-case letters, digits or '-' (it is also the strategy's account)");
        if (Kind is not (StrategyKinds.HedgeGrid or StrategyKinds.FlashArb or StrategyKinds.BessAutoTrader))
            yield return new SettingsError($"{prefix}:Kind", $"'{Kind}' is not a strategy kind here; use {StrategyKinds.HedgeGrid}, {StrategyKinds.FlashArb} or {StrategyKinds.BessAutoTrader}");
        if (Kind == StrategyKinds.FlashArb && string.IsNullOrWhiteSpace(FuturesMarket))
            yield return new SettingsError($"{prefix}:FuturesMarket", "is required for a flash-arb instance (the futures leg, e.g. GB-BASE-M)");
        if (string.IsNullOrWhiteSpace(Market)) yield return new SettingsError($"{prefix}:Market", "is required (a market id such as DE-ID-15)");
        if (Mode is not ("paper" or "live")) yield return new SettingsError($"{prefix}:Mode", $"'{Mode}' must be paper or live");
        if (BarSeconds is < 0.1 or > 3600) yield return new SettingsError($"{prefix}:BarSeconds", $"is {BarSeconds}; use 0.1..3600 seconds");
        foreach (var error in HedgeGrid.Validate($"{prefix}:HedgeGrid")) yield return error;
        foreach (var error in KillSwitch.Validate($"{prefix}:KillSwitch")) yield return error;
    }
}
