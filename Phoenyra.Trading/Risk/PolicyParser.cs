using System.Security.Cryptography;
using System.Text;
using Phoenyra.Core.Contracts;
using Phoenyra.Core.Policy;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Phoenyra.Trading.Risk;

/// <summary>
/// Reads <c>policy.yaml</c>. Unknown keys are errors (a typo must not silently drop a limit);
/// every problem names its YAML path and, where it has one, its line. Top-level sections that
/// other modules register (<see cref="IPolicySection"/>) are parsed by them, not here.
/// </summary>
internal static class PolicyParser
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public sealed class PolicyException(string message) : Exception(message);

    public static RiskPolicy Parse(string yaml, IReadOnlyCollection<string> knownMarkets, int version, IReadOnlyCollection<IPolicySection> sections)
    {
        PolicyDocument document;
        try
        {
            var tradingPart = WithoutSections(yaml, sections.Select(s => s.Name).ToHashSet(StringComparer.Ordinal));
            document = Yaml.Deserialize<PolicyDocument?>(tradingPart) ?? throw new PolicyException("the policy file is empty");
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException?.Message is { } detail ? $": {detail}" : "";
            throw new PolicyException($"line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}{inner}");
        }

        var errors = new List<string>();
        if (!Enum.TryParse<TradingState>(document.TradingState, ignoreCase: true, out var state) || !Enum.IsDefined(state))
            errors.Add($"trading_state: '{document.TradingState}' is not one of active, reducing, halted");
        var defaults = Limits("defaults", document.Defaults ?? new LimitsDocument(), null, errors);
        var markets = new Dictionary<string, MarketLimits>(StringComparer.Ordinal);
        foreach (var (market, limits) in document.Markets ?? [])
        {
            if (!knownMarkets.Contains(market))
                errors.Add($"markets.{market}: no such market (configured: {string.Join(", ", knownMarkets)})");
            else
                markets[market] = Limits($"markets.{market}", limits ?? new LimitsDocument(), defaults, errors);
        }
        var parsed = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var result = section.Parse(yaml);
            errors.AddRange(result.Errors);
            parsed[section.Name] = result.Value;
        }
        if (errors.Count > 0) throw new PolicyException(string.Join("; ", errors));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)))[..16];
        return new RiskPolicy(version, hash, state, defaults, markets, parsed);
    }

    /// <summary>
    /// The text with the registered sections blanked out (spaces, newlines kept), so the strict
    /// reader still reports the trading keys' own lines and columns.
    /// </summary>
    private static string WithoutSections(string yaml, IReadOnlySet<string> sectionNames)
    {
        if (sectionNames.Count == 0) return yaml;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return yaml;
        var text = yaml.ToCharArray();
        foreach (var (key, value) in root.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } || !sectionNames.Contains(name)) continue;
            // A block mapping's own end mark is not reliable; its last scalar's is.
            var end = value.AllNodes.Max(n => n.End.Index);
            for (var i = (int)key.Start.Index; i < end && i < text.Length; i++)
                if (text[i] is not ('\n' or '\r')) text[i] = ' ';
        }
        return new string(text);
    }

    private static MarketLimits Limits(string path, LimitsDocument d, MarketLimits? inherit, List<string> errors)
    {
        decimal Positive(string name, decimal? value, decimal? fallback)
        {
            var result = value ?? fallback;
            if (result is null) { errors.Add($"{path}.{name}: is required in defaults"); return 0; }
            if (result <= 0) errors.Add($"{path}.{name}: is {result}; it must be greater than 0");
            return result.Value;
        }
        int Burst(string name, int? value, int? fallback)
        {
            var result = value ?? fallback;
            if (result is null) { errors.Add($"{path}.{name}: is required in defaults"); return 0; }
            if (result < 1) errors.Add($"{path}.{name}: is {result}; it must be at least 1");
            return result.Value;
        }
        return new MarketLimits(
            Positive("max_order_mw", d.MaxOrderMw, inherit?.MaxOrderMw),
            Positive("max_order_notional_eur", d.MaxOrderNotionalEur, inherit?.MaxOrderNotionalEur),
            Positive("price_band_eur", d.PriceBandEur, inherit?.PriceBandEur),
            Positive("max_exposure_mwh", d.MaxExposureMwh, inherit?.MaxExposureMwh),
            Positive("max_exposure_eur", d.MaxExposureEur, inherit?.MaxExposureEur),
            (double)Positive("submit_rate_per_second", (decimal?)d.SubmitRatePerSecond, (decimal?)inherit?.SubmitRatePerSecond),
            Burst("submit_burst", d.SubmitBurst, inherit?.SubmitBurst),
            (double)Positive("key_rate_per_second", (decimal?)d.KeyRatePerSecond, (decimal?)inherit?.KeyRatePerSecond),
            Burst("key_burst", d.KeyBurst, inherit?.KeyBurst),
            Burst("max_open_orders", d.MaxOpenOrders, inherit?.MaxOpenOrders ?? MarketLimits.DefaultMaxOpenOrders));
    }

    private sealed class PolicyDocument
    {
        public int Version { get; set; } = 1;
        public string TradingState { get; set; } = "active";
        public LimitsDocument? Defaults { get; set; }
        public Dictionary<string, LimitsDocument?>? Markets { get; set; }
    }

    private sealed class LimitsDocument
    {
        public decimal? MaxOrderMw { get; set; }
        public decimal? MaxOrderNotionalEur { get; set; }
        public decimal? PriceBandEur { get; set; }
        public decimal? MaxExposureMwh { get; set; }
        public decimal? MaxExposureEur { get; set; }
        public double? SubmitRatePerSecond { get; set; }
        public int? SubmitBurst { get; set; }
        public double? KeyRatePerSecond { get; set; }
        public int? MaxOpenOrders { get; set; }
        public int? KeyBurst { get; set; }
    }
}
