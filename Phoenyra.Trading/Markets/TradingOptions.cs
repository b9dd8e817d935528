using Phoenyra.Core.Settings;

namespace Phoenyra.Trading.Markets;

/// <summary>Section <c>Phoenyra:Trading</c>: markets, the policy file, market data and simulated liquidity.</summary>
public sealed class TradingOptions : IValidatedSettings
{
    public const string Section = "Phoenyra:Trading";

    public List<MarketOptions> Markets { get; set; } = [];

    /// <summary>Risk policy file; relative paths resolve against the content root (the binary's folder).</summary>
    public string PolicyFile { get; set; } = "policy.yaml";

    /// <summary>Weight of the newest trade price in the EMA, 0 &lt; α ≤ 1.</summary>
    public double EmaAlpha { get; set; } = 0.2;

    public MarketMakerOptions MarketMaker { get; set; } = new();

    /// <summary>The order-entry WebSocket's limits.</summary>
    public Api.OrderEntry.OrderEntryOptions OrderEntry { get; set; } = new();

    /// <summary>Periodic engine snapshots that bound the replay at start.</summary>
    public Snapshots.SnapshotOptions Snapshots { get; set; } = new();

    /// <summary>Closed orders and trades kept in memory for queries.</summary>
    public int RecentLimit { get; set; } = 10_000;

    /// <summary>How long the last trade sets the mark; after that the mark is the mid (or the reference).</summary>
    public int MarkTradeMaxAgeSeconds { get; set; } = 60;

    /// <summary>
    /// EUR per unit of each other currency a market trades in (<c>Phoenyra:Trading:FxToEur:GBP</c>):
    /// desk totals are in EUR; a market's own prices, PnL and policy limits stay in its currency.
    /// </summary>
    public Dictionary<string, decimal> FxToEur { get; set; } = [];

    /// <summary>EUR per unit of <paramref name="currency"/> (1 for EUR).</summary>
    public decimal ToEur(string currency) => currency == "EUR" ? 1m : FxToEur.GetValueOrDefault(currency);

    public IReadOnlyList<MarketSpec> Specs() => Markets.Select(m => m.ToSpec()).ToList();

    public IEnumerable<SettingsError> Validate(string section)
    {
        if (Markets.Count == 0)
            yield return new SettingsError($"{section}:Markets", "lists no market; configure at least one (see appsettings.json)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Markets.Count; i++)
        {
            foreach (var error in Markets[i].Validate($"{section}:Markets:{i}")) yield return error;
            if (Markets[i].Currency is var currency && currency != "EUR" && ToEur(currency) <= 0)
                yield return new SettingsError($"{section}:Markets:{i}:Currency", $"is '{currency}' but {section}:FxToEur:{currency} (EUR per {currency}) is not set",
                    $"set {section}:FxToEur:{currency} to a positive rate, or trade the market in EUR");
            if (!seen.Add(Markets[i].Id)) yield return new SettingsError($"{section}:Markets:{i}:Id", $"'{Markets[i].Id}' is configured twice");
        }
        if (EmaAlpha is <= 0 or > 1) yield return new SettingsError($"{section}:EmaAlpha", $"is {EmaAlpha}; use 0 < α ≤ 1");
        if (RecentLimit is < 100 or > 1_000_000) yield return new SettingsError($"{section}:RecentLimit", $"is {RecentLimit}; use 100..1000000");
        if (MarkTradeMaxAgeSeconds is < 1 or > 86_400) yield return new SettingsError($"{section}:MarkTradeMaxAgeSeconds", $"is {MarkTradeMaxAgeSeconds}; use 1..86400");
        foreach (var error in MarketMaker.Validate($"{section}:MarketMaker")) yield return error;
        foreach (var error in OrderEntry.Validate($"{section}:OrderEntry")) yield return error;
        foreach (var error in Snapshots.Validate($"{section}:Snapshots")) yield return error;
        // The file's content is checked with every module's section by Risk.PolicyFileCheck.
        if (!File.Exists(Risk.PolicyReloader.ResolvePath(PolicyFile)))
            yield return new SettingsError($"{section}:PolicyFile", $"'{Risk.PolicyReloader.ResolvePath(PolicyFile)}' does not exist; point it at a policy.yaml");
    }
}

/// <summary>How a market's demo reference price moves (see <see cref="MarketOptions.DemoShape"/>).</summary>
public enum DemoPriceShape { Intraday, DailyMean, Follow }

public sealed class MarketOptions
{
    public string Id { get; set; } = "";
    public MarketRole Role { get; set; } = MarketRole.Intraday;
    public decimal ProductHours { get; set; } = 0.25m;
    public string Currency { get; set; } = "EUR";
    public decimal Tick { get; set; } = 0.01m;
    public decimal Lot { get; set; } = 0.1m;
    public decimal MinPrice { get; set; } = -9999m;
    public decimal MaxPrice { get; set; } = 9999m;

    /// <summary>Reference price before any source reports one (EUR/MWh).</summary>
    public decimal? ReferencePrice { get; set; }

    /// <summary>
    /// The demo price path: <c>intraday</c> (the day shape, intraday markets' default), <c>daily-mean</c>
    /// (the day's mean, futures' default) or <c>follow</c> (the day shape with a calmer noise of its own:
    /// a hedge that tracks the intraday market, so spreads between the two open and close every few minutes).
    /// </summary>
    public string? DemoShape { get; set; }

    public DemoPriceShape Shape => DemoShape?.ToLowerInvariant() switch
    {
        "intraday" => DemoPriceShape.Intraday,
        "daily-mean" => DemoPriceShape.DailyMean,
        "follow" => DemoPriceShape.Follow,
        _ => Role == MarketRole.Futures ? DemoPriceShape.DailyMean : DemoPriceShape.Intraday,
    };

    public MarketSpec ToSpec() => new(Id, Role, ProductHours, Currency, Tick, Lot, MinPrice, MaxPrice);

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (!MarketSpec.IsValidId(Id)) yield return new SettingsError($"{prefix}:Id", $"'{Id}' is not a market id; use 1-32 ASCII letters, digits, '-' or '_'");
        if (DemoShape is { } shape && shape.ToLowerInvariant() is not ("intraday" or "daily-mean" or "follow"))
            yield return new SettingsError($"{prefix}:DemoShape", $"'{shape}' is not a demo price shape; use intraday, daily-mean or follow");
        if (ProductHours <= 0 || ProductHours > 24) yield return new SettingsError($"{prefix}:ProductHours", $"is {ProductHours}; use e.g. 0.25 or 1");
        if (Currency is not { Length: 3 } || !Currency.All(char.IsAsciiLetterUpper)) yield return new SettingsError($"{prefix}:Currency", $"is '{Currency}'; use an ISO 4217 code such as EUR or GBP");
        if (Tick <= 0) yield return new SettingsError($"{prefix}:Tick", $"is {Tick}; it must be positive");
        if (Lot <= 0) yield return new SettingsError($"{prefix}:Lot", $"is {Lot}; it must be positive");
        if (MinPrice >= MaxPrice) yield return new SettingsError($"{prefix}:MinPrice", $"{MinPrice} must be below MaxPrice {MaxPrice}");
        else if (Tick > 0 && (MinPrice % Tick != 0 || MaxPrice % Tick != 0))
            yield return new SettingsError($"{prefix}:MinPrice", "price limits must be multiples of the tick");
    }
}

/// <summary>The simulated market maker that quotes depth around the reference price for paper trading.</summary>
public sealed class MarketMakerOptions
{
    public bool Enabled { get; set; } = true;
    public string Account { get; set; } = "sim-mm";
    public int Levels { get; set; } = 5;
    public decimal SpreadEur { get; set; } = 0.4m;
    public decimal StepEur { get; set; } = 0.25m;
    public decimal QuantityMw { get; set; } = 5m;

    public IEnumerable<SettingsError> Validate(string prefix)
    {
        if (Levels is < 1 or > 50) yield return new SettingsError($"{prefix}:Levels", $"is {Levels}; use 1..50");
        if (SpreadEur <= 0) yield return new SettingsError($"{prefix}:SpreadEur", "must be positive");
        if (StepEur <= 0) yield return new SettingsError($"{prefix}:StepEur", "must be positive");
        if (QuantityMw <= 0) yield return new SettingsError($"{prefix}:QuantityMw", "must be positive");
        if (string.IsNullOrWhiteSpace(Account)) yield return new SettingsError($"{prefix}:Account", "is empty");
    }
}
