using Microsoft.Extensions.Configuration;
using Phoenyra.Core.Settings;

namespace Phoenyra.Strategies.FlashArb.Settings;

public enum SecretsBackend { None, Vault, Aws }

/// <summary>
/// The flash-arbitrage settings under the document's own variable names (flat, as in its
/// <c>.env</c> templates): feature toggles and the credentials each needs, limits, the trading
/// window and the secrets backend. Secrets are hydrated from Vault or AWS before validation, so a
/// half-configured environment stops the desk naming every missing variable and its toggle.
/// </summary>
public sealed class FlashArbSettings
{
    /// <summary>Each feature toggle and the variables it needs (document 002's table).</summary>
    public static readonly IReadOnlyList<(string Toggle, string[] Needs)> Toggles =
    [
        ("USE_LIVE_FEED", ["LIVE_EXCHANGE", "LIVE_SYMBOL", "LIVE_API_KEY", "LIVE_API_SECRET"]),
        ("USE_POWERLEDGER_LIVE", ["POWERLEDGER_API_URL", "POWERLEDGER_API_TOKEN", "POWERLEDGER_ORG", "POWERLEDGER_MARKET"]),
        ("USE_ICE_LIVE", ["ICE_API_URL", "ICE_API_KEY", "ICE_API_SECRET", "ICE_SYMBOL"]),
        ("USE_WEB3_LOAN", ["FLASH_LOAN_CONTRACT", "FLASH_LOAN_RECEIVER", "LENDER_KEY", "HARDHAT_RPC"]),
    ];

    /// <summary>Ours, beside the document's: where the on-chain settlement pays the power leg and takes the futures proceeds from.</summary>
    public static readonly IReadOnlyList<string> SettlementAddresses = ["POWER_SETTLEMENT_ADDRESS", "FUTURES_SETTLEMENT_ADDRESS"];

    /// <summary>The only variables a secrets backend may supply.</summary>
    public static readonly IReadOnlyList<string> SecretNames =
        ["LIVE_API_KEY", "LIVE_API_SECRET", "ICE_API_KEY", "ICE_API_SECRET", "FLASH_LOAN_CONTRACT", "FLASH_LOAN_RECEIVER", "LENDER_KEY", "API_KEY"];

    /// <summary>What an operator may change when starting the orchestrator (never toggles or credentials).</summary>
    public static readonly IReadOnlyList<string> ParameterNames =
        ["TRADING_ENABLED", "TRADING_WINDOW_UTC", "ALLOW_WEEKEND_TRADING", "MAX_NOTIONAL_PER_TRADE", "MAX_DAILY_LOSS_GBP", "SPREAD_MIN", "FEE_RATE"];

    private static readonly string[] Urls = ["POWERLEDGER_API_URL", "ICE_API_URL", "HARDHAT_RPC", "VAULT_ADDR", "LIVE_FEED_URL"];

    private readonly Dictionary<string, string?> _text = new(StringComparer.Ordinal);
    private readonly List<SettingsError> _problems = [];

    public bool UseLiveFeed { get; private set; }
    public bool UsePowerledgerLive { get; private set; }
    public bool UseIceLive { get; private set; }
    public bool UseWeb3Loan { get; private set; }
    public decimal LoanLimitGbp { get; private set; } = 100_000m;
    public decimal MaxNotionalPerTrade { get; private set; } = 10_000m;
    public decimal MaxDailyLossGbp { get; private set; } = 500m;

    /// <summary><c>SPREAD_MIN</c>: the net spread per MWh (after fees and the loan fee) a cycle needs, GBP.</summary>
    public decimal SpreadMin { get; private set; } = 0.5m;

    /// <summary><c>FEE_RATE</c>: each venue's fee as a share of the price (ours; the document leaves fees to the venues).</summary>
    public decimal FeeRate { get; private set; } = 0.0005m;

    /// <summary><c>FLASH_LOAN_FEE_BPS</c>: the in-process lender's fee (ours; on chain the contract's <c>flashFee</c> decides).</summary>
    public decimal FlashLoanFeeBps { get; private set; } = 5m;

    public bool TradingEnabled { get; private set; } = true;
    public TradingWindow TradingWindow { get; private set; } = TradingWindow.Default;
    public bool AllowWeekendTrading { get; private set; }
    public SecretsBackend SecretsBackend { get; private set; }

    /// <summary>A text variable as configured (after secrets), or null when unset or blank.</summary>
    public string? this[string name] => _text.GetValueOrDefault(name);

    /// <summary>Which variables came from the secrets backend (names only; never the values).</summary>
    public IReadOnlyList<string> FromSecretsBackend { get; private set; } = [];

    /// <summary>Reads every variable from the configuration root; bad values are kept as problems for <see cref="Validate"/>.</summary>
    public static FlashArbSettings Read(IConfiguration root)
    {
        var settings = new FlashArbSettings();
        settings.Load(root);
        return settings;
    }

    internal void Load(IConfiguration root)
    {
        var env = new EnvValues(root);
        foreach (var name in Toggles.SelectMany(t => t.Needs).Concat(SettlementAddresses).Concat(["LIVE_FEED_URL", "VAULT_ADDR", "VAULT_TOKEN", "VAULT_SECRET_PATH", "AWS_SECRETS_REGION", "AWS_SECRETS_ID", "API_KEY"]))
            _text[name] = env.Text(name);
        UseLiveFeed = env.Flag("USE_LIVE_FEED", false);
        UsePowerledgerLive = env.Flag("USE_POWERLEDGER_LIVE", false);
        UseIceLive = env.Flag("USE_ICE_LIVE", false);
        UseWeb3Loan = env.Flag("USE_WEB3_LOAN", false);
        LoanLimitGbp = env.Number("LOAN_LIMIT_GBP", 100_000m, 1m, 1_000_000_000m);
        FlashLoanFeeBps = env.Number("FLASH_LOAN_FEE_BPS", 5m, 0m, 1_000m);
        LoadParameters(env);
        SecretsBackend = (env.Text("SECRETS_BACKEND") ?? "none").ToLowerInvariant() switch
        {
            "none" or "env" => SecretsBackend.None,
            "vault" => SecretsBackend.Vault,
            "aws" => SecretsBackend.Aws,
            var other => Bad(new SettingsError("SECRETS_BACKEND", $"'{other}' is not a secrets backend", "set SECRETS_BACKEND to vault, aws, or leave it unset")),
        };
        _problems.AddRange(env.Errors);
    }

    /// <summary>The strategy parameters (<see cref="ParameterNames"/>), each keeping its current value when <paramref name="env"/> does not set it.</summary>
    private void LoadParameters(EnvValues env)
    {
        MaxNotionalPerTrade = env.Number("MAX_NOTIONAL_PER_TRADE", MaxNotionalPerTrade, 1m, 1_000_000_000m);
        MaxDailyLossGbp = env.Number("MAX_DAILY_LOSS_GBP", MaxDailyLossGbp, 0m, 1_000_000_000m);
        SpreadMin = env.Number("SPREAD_MIN", SpreadMin, 0m, 10_000m);
        FeeRate = env.Number("FEE_RATE", FeeRate, 0m, 0.1m);
        TradingEnabled = env.Flag("TRADING_ENABLED", TradingEnabled);
        TradingWindow = env.Text("TRADING_WINDOW_UTC") is null ? TradingWindow : env.Window("TRADING_WINDOW_UTC");
        AllowWeekendTrading = env.Flag("ALLOW_WEEKEND_TRADING", AllowWeekendTrading);
    }

    /// <summary>
    /// These settings with an operator's start-time overrides, checked by the same rules; only
    /// <see cref="ParameterNames"/> may be overridden. The settings, or the errors by variable.
    /// </summary>
    public (FlashArbSettings? Settings, IReadOnlyList<SettingsError> Errors) With(IReadOnlyDictionary<string, string> overrides)
    {
        var errors = overrides.Keys.Where(k => !ParameterNames.Contains(k))
            .Select(k => new SettingsError(k, "cannot be overridden at start", $"override only {string.Join(", ", ParameterNames)}; change the rest in .env and restart")).ToList();
        var copy = (FlashArbSettings)MemberwiseClone();
        var env = new EnvValues(new ConfigurationBuilder().AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value))).Build());
        copy.LoadParameters(env);
        errors.AddRange(env.Errors);
        if (copy.MaxNotionalPerTrade > copy.LoanLimitGbp)
            errors.Add(new SettingsError("MAX_NOTIONAL_PER_TRADE", $"{copy.MaxNotionalPerTrade} is above LOAN_LIMIT_GBP {copy.LoanLimitGbp}", "set MAX_NOTIONAL_PER_TRADE at most LOAN_LIMIT_GBP"));
        return errors.Count == 0 ? (copy, []) : (null, errors);
    }

    /// <summary>
    /// The risk-owned limits <paramref name="candidate"/> loosens against these settings (the
    /// configured ones): a higher or removed daily loss limit, a higher notional per trade, a trading
    /// window with any minute outside this one, weekend trading where it was off. Only an admin may.
    /// </summary>
    public IReadOnlyList<SettingsError> Loosened(FlashArbSettings candidate)
    {
        var loosened = new List<SettingsError>();
        void Add(string name, string what) => loosened.Add(new SettingsError(name, $"{what} loosens the configured {Parameter(name)}", "only an admin key may loosen a risk limit; a trader may tighten it"));
        if (MaxDailyLossGbp > 0 && (candidate.MaxDailyLossGbp == 0 || candidate.MaxDailyLossGbp > MaxDailyLossGbp)) Add("MAX_DAILY_LOSS_GBP", candidate.Parameter("MAX_DAILY_LOSS_GBP"));
        if (candidate.MaxNotionalPerTrade > MaxNotionalPerTrade) Add("MAX_NOTIONAL_PER_TRADE", candidate.Parameter("MAX_NOTIONAL_PER_TRADE"));
        if (candidate.AllowWeekendTrading && !AllowWeekendTrading) Add("ALLOW_WEEKEND_TRADING", "1");
        var day = DateTimeOffset.UnixEpoch;
        if (Enumerable.Range(0, 24 * 60).Any(minute => candidate.TradingWindow.Contains(day.AddMinutes(minute)) && !TradingWindow.Contains(day.AddMinutes(minute))))
            Add("TRADING_WINDOW_UTC", candidate.Parameter("TRADING_WINDOW_UTC"));
        return loosened;
    }

    /// <summary>An overridable parameter's value as an operator writes it.</summary>
    public string Parameter(string name) => name switch
    {
        "TRADING_ENABLED" => TradingEnabled ? "1" : "0",
        "TRADING_WINDOW_UTC" => TradingWindow.ToString(),
        "ALLOW_WEEKEND_TRADING" => AllowWeekendTrading ? "1" : "0",
        "MAX_NOTIONAL_PER_TRADE" => MaxNotionalPerTrade.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "MAX_DAILY_LOSS_GBP" => MaxDailyLossGbp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "SPREAD_MIN" => SpreadMin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "FEE_RATE" => FeeRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>Takes the secrets the backend returned (only <see cref="SecretNames"/>; the environment's own values give way).</summary>
    public void ApplySecrets(IReadOnlyDictionary<string, string> secrets)
    {
        var applied = new List<string>();
        foreach (var name in SecretNames)
            if (secrets.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                _text[name] = value.Trim();
                applied.Add(name);
            }
        FromSecretsBackend = applied;
    }

    /// <summary>The backend could not be read: the desk must not start on half its secrets.</summary>
    public void SecretsFailed(string problem) =>
        _problems.Add(new SettingsError("SECRETS_BACKEND", problem, "check the backend's address, credentials and secret, or unset SECRETS_BACKEND"));

    public IEnumerable<SettingsError> Validate()
    {
        foreach (var problem in _problems) yield return problem;
        var enabled = new[] { UseLiveFeed, UsePowerledgerLive, UseIceLive, UseWeb3Loan };
        for (var i = 0; i < Toggles.Count; i++)
        {
            if (!enabled[i]) continue;
            var (toggle, needs) = Toggles[i];
            foreach (var name in needs.Where(n => this[n] is null))
                yield return new SettingsError(name, $"is required while {toggle}=1",
                    $"set {name} in .env, the environment{(SecretNames.Contains(name) ? " or the secrets backend" : "")}, or set {toggle}=0");
        }
        if (UseLiveFeed && this["LIVE_EXCHANGE"] is { } exchange && this["LIVE_FEED_URL"] is null && !exchange.Equals("binance", StringComparison.OrdinalIgnoreCase))
            yield return new SettingsError("LIVE_FEED_URL", $"is required for LIVE_EXCHANGE={exchange} (the desk knows Binance's public ticker only)",
                "set LIVE_FEED_URL to the exchange's public ticker, with {symbol} where the symbol goes, or use LIVE_EXCHANGE=binance");
        if (UseWeb3Loan)
            foreach (var name in SettlementAddresses.Where(n => this[n] is null))
                yield return new SettingsError(name, "is required while USE_WEB3_LOAN=1 (the on-chain settlement's counterparty)", $"set {name} to a 0x address, or set USE_WEB3_LOAN=0");
        foreach (var name in Urls)
            if (this[name] is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
                yield return new SettingsError(name, $"'{url}' is not an http(s) URL", $"set {name} to an absolute URL such as https://host:port");
        if (MaxNotionalPerTrade > LoanLimitGbp)
            yield return new SettingsError("MAX_NOTIONAL_PER_TRADE", $"{MaxNotionalPerTrade} is above LOAN_LIMIT_GBP {LoanLimitGbp}: a cycle could not be funded",
                "set MAX_NOTIONAL_PER_TRADE at most LOAN_LIMIT_GBP");
        var backendNeeds = SecretsBackend switch
        {
            SecretsBackend.Vault => new[] { "VAULT_ADDR", "VAULT_TOKEN", "VAULT_SECRET_PATH" },
            SecretsBackend.Aws => ["AWS_SECRETS_REGION", "AWS_SECRETS_ID"],
            _ => [],
        };
        foreach (var name in backendNeeds.Where(n => this[n] is null))
            yield return new SettingsError(name, $"is required while SECRETS_BACKEND={SecretsBackend.ToString().ToLowerInvariant()}", $"set {name}, or unset SECRETS_BACKEND");
    }

    private SecretsBackend Bad(SettingsError error)
    {
        _problems.Add(error);
        return SecretsBackend.None;
    }
}
